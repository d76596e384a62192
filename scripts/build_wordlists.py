"""Build the codename word lists in src/passage/intake/wordlists/.

A person asking for help gets a codename of six random words in their own language and script.
Each list holds exactly 7,776 (= 6**5) common, easy-to-type words, so six words carry
6 x log2(7776) ~= 77.5 bits. Run from the repository root:

    .venv/bin/python scripts/build_wordlists.py

Importing this module has no side effects: `build(lang)` returns the sorted list in memory (the
tests compare it with the committed files) and files are written only under `__main__`. The output
is deterministic for a given version of wordfreq and xkcdpass. See
src/passage/intake/wordlists/README.md for the sources and the rules.
"""

# The stoplists and rules are Cyrillic, Arabic and Persian text by design, so ruff's
# "ambiguous Unicode character" checks (confusable with Latin letters) do not apply to this file.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import wordfreq
import xkcdpass

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "src" / "passage" / "intake" / "wordlists"
XKCD_STATIC = Path(xkcdpass.__file__).resolve().parent / "static"

SIZE = 7776
WORDS_PER_CODENAME = 6
LANGS = ("en", "fr", "es", "ru", "ar", "fa")

# --------------------------------------------------------------------------------------------
# Alphabets and lengths
# --------------------------------------------------------------------------------------------

_LATIN = "abcdefghijklmnopqrstuvwxyz"

# Only these letters may appear (after NFC). Everything else -- capitals, digits, apostrophes,
# hyphens, spaces, Latin letters in Arabic script, harakat, tatweel, ZWNJ -- rejects the word.
ALPHABETS: dict[str, frozenset[str]] = {
    "en": frozenset(_LATIN),
    # No œ/æ: awkward on a phone keyboard.
    "fr": frozenset(_LATIN + "àâäçéèêëîïôöùûüÿ"),
    "es": frozenset(_LATIN + "áéíóúüñ"),
    # No ё: it is a long-press key on most phone keyboards and most people write е instead, so a
    # word containing ё would be typed two ways. Words with ё are dropped, not rewritten.
    "ru": frozenset("абвгдежзийклмнопрстуфхцчшщъыьэюя"),
    # Arabic letters U+0621-U+063A and U+0641-U+064A: hamza forms, ة and ى allowed; no Persian
    # letters (پ چ ژ گ ک ی), no harakat (U+064B-U+0652), no tatweel (U+0640), no digits.
    "ar": frozenset("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"),
    # Persian letters, with Persian ی and ک; no Arabic-only ي ك ة, no أ إ ؤ ء, no ZWNJ (a
    # compound that needs a zero-width non-joiner is hard to type, so it is dropped).
    "fa": frozenset("آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئ"),
}

# Inclusive length limits, in letters. Arabic and Persian are written without short vowels, so
# their words are shorter; 3-8 letters leaves plenty of room without the 2-letter particles.
LENGTHS: dict[str, tuple[int, int]] = {
    "en": (3, 10),
    "fr": (3, 10),
    "es": (3, 10),
    "ru": (3, 10),
    "ar": (3, 8),
    "fa": (3, 8),
}

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_FA_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ئ": "ی", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"}
)


def fold(lang: str, word: str) -> str:
    """The comparison key of a word: two words with the same key must never both be listed.

    NFC and lower case for every language, then the differences people commonly leave out when
    typing: ё -> е (ru); accents dropped (en, fr, es: "pêche" = "peche"); hamza-alef, alef
    maqsura and ta marbuta folded (ar: أ إ آ -> ا, ى -> ي, ة -> ه); the same plus Arabic
    ي ك -> Persian ی ک (fa). The intake app may match typed codenames on this key.
    """
    word = unicodedata.normalize("NFC", word).lower()
    if lang == "ru":
        return word.replace("ё", "е")
    if lang == "ar":
        return word.translate(_AR_FOLD)
    if lang == "fa":
        return word.translate(_FA_FOLD)
    decomposed = unicodedata.normalize("NFD", word.replace("œ", "oe").replace("æ", "ae"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Crude inflection stripping, used only to keep one form of a word ("работа", "работы", "работу":
# only the most frequent is listed), so that a word remembered in the wrong form can still be
# matched to the single listed word of its stem. Applied to the folded word in stages; in each
# stage the longest matching rule that leaves at least STEM_MIN letters applies ("suffix" is
# removed, "suffix>repl" is replaced). Stoplist entries also stop every word of their stem.
STEM_MIN = 3
_STEM_RULES: dict[str, tuple[str, ...]] = {
    "en": (),  # the EFF list is used as published
    "fr": (
        # verb endings with -s/-z, then plurals
        "aient iez ais ez eaux>eau aux>al s x",
        # feminine forms onto the masculine (after plural removal)
        "ive>if elle>el enne>en onne>on ette>et euse>eu ere>er ee>e",
        # verb endings, final e
        "ent ait ai er e",
    ),
    "es": (
        "ieron aron amos emos imos iendo ando ces>z es s an en",
        "ar er ir a o e",
    ),
    "ru": (
        "ся сь",
        "ать ять еть ить уть ешь ишь ете ите ают яют ует уют ала яла ила ела ыла али яли или"
        " ели ого его ому ему ыми ими ами ями ая яя ое ее ые ие ый ий ой ом ем ую юю их ых ах"
        " ях ам ям ов ев ей ью ия ие ию ии ет ит ут ют ат ят ал ял ил ел ыл ла ли ло"
        " а я о е ы и у ю ь й",
    ),
    # Folded forms, so ة is already ه. Prefixes are the conjunctions و ف ("and", "so").
    # Stages: conjunctions; pronoun and verb suffixes (ته -> ه restores the ta marbuta); plural,
    # nisba, ta marbuta, tanwin alef.
    "ar": (
        "و^ ف^",
        "تها>ه تهم>ه ته>ه تي>ه تك>ه ها هم هن كم كن نا وا تم ه ي ك ت",
        "ات ان ون ين يه ه ي ا",
    ),
    # Stages: the verb prefixes نمی، می; spoken clitics (حرفتو, دخترا); plural, comparative,
    # pronoun and verb endings.
    "fa": (
        "نمی^ می^",
        "هاشون هاتون هامون شون تون مون تو مو شو ا و",
        "هایی های ها ترین تر ان ات ای یی یم ید ند مان تان شان ی م ت ش",
    ),
}


def _parse_rules(stage: str) -> list[tuple[str, str, bool]]:
    """(affix, replacement, is_prefix), longest affix first; "x^" marks a prefix."""
    rules = []
    for rule in stage.split():
        is_prefix = rule.endswith("^")
        affix, _, repl = rule.rstrip("^").partition(">")
        rules.append((affix, repl, is_prefix))
    return sorted(rules, key=lambda r: (-len(r[0]), r[0]))


_STEM_STAGES = {lang: [_parse_rules(s) for s in stages] for lang, stages in _STEM_RULES.items()}


def stem(lang: str, word: str) -> str:
    """A rough stem of `word` (folded), for keeping a single form of each word."""
    key = fold(lang, word)
    for rules in _STEM_STAGES[lang]:
        for affix, repl, is_prefix in rules:
            if len(key) - len(affix) + len(repl) < STEM_MIN:
                continue
            if is_prefix and key.startswith(affix):
                key = repl + key[len(affix) :]
                break
            if not is_prefix and key.endswith(affix):
                key = key[: len(key) - len(affix)] + repl
                break
    return key


# --------------------------------------------------------------------------------------------
# Stoplists
# --------------------------------------------------------------------------------------------
# Words that could frighten or shame a person in danger, or reveal what the codename is for if
# someone sees it on their screen: sexuality and gender identity (and slurs), sex and the body,
# police, prison, courts, violence and death, flight and borders, religion, disease, profanity,
# plus obvious names of people and places. Reasonable, not exhaustive. Whitespace-separated;
# "#" starts a comment; an entry ending in "*" is a prefix (any word starting with it). Entries
# are compared after fold(), so "pédé" also stops "pede".

_LATIN_COMMON = """
    gay gays lgbt lgbtq lgbti lgbtqi queer queers trans sex sexy porn porno
"""

STOPLISTS: dict[str, str] = {
    "en": _LATIN_COMMON
    + """
    # sexuality, gender identity, slurs
    lesbian lesbians lesbo homo homos homosexual* bisexual* heterosexual* transgender*
    transsexual* transvestite* tranny intersex asexual unisexual faggot fag fags dyke dykes
    sissy pansy fairy fairies butch queen drag pride rainbow closet sexual sexuality gender
    genders effeminate feminine feminism feminist feminize masculine manhood manliness manly
    mannish womanhood womankind womanless womanlike womanly unwomanly man men woman women boy
    boys girl girls male males female females husband husbands wife wives bride groom marry
    married marital matrimony remarry divorcee dowry monogamy nuptials spouse spousal unwed
    widow widower gigolo he she her hers him his himself herself guys transition
    # sex and the body
    erotic nude nudes naked arousal seduce seducing seductive sensually sensuous lust lusty
    lustfully lustily lustiness kissing kisser kissable fondling footsie negligee lingerie
    jockstrap pantyhose thong thigh groin undress unclothed unrobed unzip striptease condom
    orgasm mammary mammogram pregnancy pregnant prenatal gonad ovary womb rectal douche flirt
    dating hooker pimp prostitute whore slut brothel cathouse moaner moaning procreate celibacy
    celibate chaste chastity impotence impotency impotent virgin virginity mating grope ogle
    pervert perverse molest incest nudist naturist showgirl kinky bootie booty horny penis
    vagina breast breasts nipple buttocks
    # violence, death
    dead death deaths deadly die died dies dying kill killed killer killing kills murder
    murderer slain corpse coffin casket grave graves graveyard headstone funeral burial
    reburial bury buried tomb entomb mortuary mortician coroner obituary deceased mourner
    mournful morbidity morbidly mortality mortally suicide execute execution gallows noose hang
    hanging hanged strangle suffocate smother drown poison stab backstab shoot shooting
    outshoot gun guns handgun rifle pistol revolver musket bullet bullets buckshot shrapnel
    bazooka cannon dagger knife weapon weapons bomb bombs detonate detonator dynamite grenade
    landmine explode massacre carnage slaughter genocide maimed mutilated mutilator disfigure
    impale torture torment abuse abused rape raped rapist kidnap hostage ransom captive
    captivity victim victims casualty wound wounded bleed blood bloody gore gory war wars
    warfare prewar postwar battle battalion army armed soldier soldiers militia sniper terror
    terrorist assassin violence violent brutal brute cruelty cruelly cruelness savage punisher
    chokehold choking headlock headsman exhume scalping bullwhip flogging stoning smite manhunt
    vendetta revenge avenge avenging retaliate mobster henchman cartel gangster arson plunder
    ransack ravage marauding riot uprising revolt mutiny overthrow regime dictator fascism
    oppressed oppressor persecute carnage ambush onslaught overkill undead pureblood jackknife
    penknife military outing
    # police, prison, courts, informers
    police policeman cop cops sheriff constable patrol precinct detective arrest arrested
    handcuff prison prisons imprison prisoner jail jailbird jailbreak jailer jailhouse
    detention detain custody parole probation convict inmate warden interrogate interrogation
    confess confession informant snitch spy spies espionage traitor treason treachery betray
    defection surveillance wiretap polygraph verdict tribunal trial retrial juror jury judge
    prosecutor defendant perjury perjurer guilty culprit criminal crime felon felony unlawful
    illicitly outlaw fugitive court law lawyer government political fight
    # flight, borders, hiding
    smuggler smuggling stowaway deport extradite evict banish exile expel expulsion asylum
    refugee refugees evacuate evacuee relocate passport visa border borders embassy emigrate
    immigrant migrant escape escapable getaway runaway safehouse hideout secret secrecy
    sanctuary outcast escap* shelter
    # shame, stigma, fear
    shame ashamed unashamed disgrace humiliate sin sinful sinner sinless unholy ungodly
    blaspheme blasphemy profane profanity immodest immorally unmoral unnatural deviant
    deviancy depraved depravity freak abnormal hate hatred ugly fat stupid idiot imbecile
    nutcase lunacy lunatic deranged insane dork dweeb twerp loser wimp oaf buffoon afraid panic
    danger endanger threaten frighten frightful dreaded dreadful scared scary scarily ominous
    sinister doom anguished agony agonize agonizing despair distress suffering sufferer grief
    grieving racism
    # disease, drugs
    disease aids hiv syphilis herpes virus cancer tumor chemo gangrene plague pandemic epidemic
    overdose morphine opium cannabis freebase junkie heroin cocaine valium prozac ritalin
    autism autistic epilepsy epileptic neurosis neurotic catatonic pyromania
    # religion, ideology
    god gods jesus christ allah church mosque bible quran koran islam islamic islamist muslim
    christian jewish buddhism buddhist pagan gentile yiddish sabbath passover diocese deacon
    pope pastor reverend chaplain clergyman preacher sermon exorcism exorcist satan devil hell
    occultist purgatory marxism darwinism democrat
    # profanity
    badass damn darn crap piss ass arse bitch bastard shit* fuck* cussed
    # names of people, places, peoples
    shot john timothy lilly brussels panama siberian caucasian eskimo apache russia russian chechen
    chechnya america american london york
""",
    "fr": _LATIN_COMMON
    + """
    # sexualité, identité de genre, insultes
    gai gaie gais gaies homo homos homosexuel* homosexualité lesbien* gouine* pédé* tapette*
    tantouze travelo* transgenre* transsexuel* travesti* bisexuel* hétéro* sexualité sexuel*
    inverti* fiotte folle folles fierté tarlouze enculé* femme femmes homme hommes garçon
    garçons fille filles mari maris épouse épouses époux mariage mariages marié mariée mariés
    veuve veuf transition conjoint conjugal épouser adultère célibat chienne garce fiancé* noces
    compagne fillette masculin* féminin* madame monsieur messieurs demoiselle gars misogyne
    # sexe et corps
    sexe sexes nu nue nus nues nudité baiser baise baisé érotique orgasme pénis vagin sein seins
    fesse* cul culs bite bites queue couille* chatte pute putes putain prostitu* bordel
    préservatif enceinte grossesse vierge amant amante maîtresse viol viols violé violée violer
    violeur anus sperme utérus urine sucer branler sensualité sensuel* séduction séduire
    séduisant virginité viril virilité avortement avorter flirter draguer fantasme débauche
    intime intimement intimité jouissance lécher libertin nichons obscène pervers perversion
    pucelle pisser braguette syphilis verge volupté glande rectal
    # violence, mort
    mort morts morte mortes mourir meurt mourant décès décédé tuer tué tuée tués tueur meurtre*
    meurtrier assassin* cadavre* cercueil tombe tombeau funérailles enterrement cimetière
    suicide pendu pendaison sang sanglant arme armes fusil pistolet balles bombe* guerre*
    massacre otage* enlèvement victime* blessé blessés blessure torture* bourreau exécution
    terroris* attentat carnage génocide tu tuer tuant tuent tuerie tueur* tuée* violence violent*
    violemment égorger étrangler poignarder fusillade fusiller bomb* roquette* cartouche* obus
    munition* mitraill* balistique artillerie asphyxie autopsie abattoir abattage agress*
    brutal brutalité bagarre tabasser supplice châtiment suicidaire amputation barbelés
    baïonnette décapiter défunt dépouilles détonation dynamite embuscade empoisonné enterré
    esclavage esclaves exterminer exécuter explos* fouet fouetter forcené fosse crever cruauté
    dague arsenal atroce funèbre funéraire gâchette guillotine guérilla hémorragie homicide
    inhumation insurgés martyr* mercenaire milice miliciens missile* morgue mortel mortelle
    mortalité mutilé mutinerie obsèques ossements pendre potence putsch rançon ravisseur*
    kidnapp* gifle haine haineux harceler holocauste goulag ghetto gang gangster mafia
    matraque coma abus* cadavre* sépulcre mortuaire rapt évadé* xénophobie satanique sacrilège
    intégriste
    # police, prison, justice, délation
    police policier* flic* keuf* gendarme* prison* taule cellule menotte* arrestation
    détenu* détention interrogatoire tribunal procès juge juges coupable criminel* crime crimes
    condamn* espion* traître* trahison mouchard* délation bagne bavure accusation accusé
    inculpé complice complot confesser confession répression réprimer perquisition commando
    rescapé* carcéral captif captive captivité délinquant* délit déposition dictateur dictature
    dissidence dissident* emprisonn* incarcér* enquête enquêteur* interpellé junte magistrat
    jury judiciaire perpétuité procureur propagande patrouille planque rebelle* détective
    douanier* plaignant
    # fuite, frontières
    réfugié* asile visa visas passeport* frontière* fuite fuir évasion exil exilé expulsion
    expulsé déporté* migr* immigr* émigr* ambassade clandestin* passeur* secret secrets
    évacuation évacuer douane consulat fugitif diaspora rapatrié* refuge abri abrite cache fuyant
    armement guerrier soldat* mortier
    cachette
    # honte, peur, maladie, drogue
    honte honteux péché pécheur diable enfer satan sida vih cancer peur effrayé terreur danger
    drogue drogué héroïne cocaïne cannabis crack alcoolique alcoolisme tumeur choléra angoisse
    anxiété cauchemar panique horreur effroi désespoir désespéré* détresse déshonneur
    dépression race raciale racisme raciste racket raclée fascisme fasciste nazi nazis
    nazisme extrémiste intégrisme nègre gitan cinglé déconner
    # religion
    dieu dieux allah jésus christ église mosquée coran bible islam islamique islamiste
    musulman* chrétien* juif juive juifs catholique prophète athée athéisme biblique bouddhiste
    catéchisme évangile synagogue sionisme antisémite cheikh apôtre archevêque évêque versets
    sermon coranique crucifix démon démoniaque hindou hostie hérésie hérétique impie judaïsme
    jésuite judas messe messie pape pope purgatoire rabbin religieux religion infidèle
    infidélité israélien israélite liturgie païen
    # grossièretés
    merde con conne cons connard* connasse connerie* foutre chier chiant salaud salope nique
    niquer bâtard crétin débile abruti idiot imbécile couillon emmerder emmerde taré stupide
    # noms de personnes et de lieux
    afghanistan albanie algérie allemagne andorre angola anguilla antarctique argentine
    arménie aruba australie autriche azerbaïdjan bahamas bahreïn bangladesh barbade belgique
    belize bermudes bhoutan birmanie bolivie botswana brésil bulgarie burundi bélarus bénin
    cambodge cameroun canada chili chine chypre colombie comores croatie cuba curaçao
    danemark djibouti dominique espagne estonie eswatini fidji finlande france gabon gambie
    ghana gibraltar grenade groënland grèce guadeloupe guam guatemala guernesey guinée
    guyana géorgie haïti honduras hongrie inde indonésie irak iran irlande islande israël
    italie jamaïque japon jersey jordanie kazakhstan kenya kirghizistan kiribati koweït laos
    lesotho lettonie liban libye libéria liechtenstein lituanie luxembourg macau madagascar
    malaisie malawi maldives mali malte maroc martinique maurice mauritanie mayotte mexique
    moldavie monaco mongolie montserrat monténégro mozambique namibie nauru nicaragua niger
    nigeria nioue norvège népal oman ouganda ouzbékistan pakistan palaos panama paraguay
    philippines pologne portugal pérou qatar roumanie rwanda salvador samoa serbie
    seychelles singapour slovaquie slovénie somalie soudan suisse surinam suède syrie
    sénégal tadjikistan tanzanie taïwan tchad tchéquie thaïlande togo tokelau tonga tunisie
    turkménistan turquie tuvalu ukraine uruguay vanuatu vénézuela yémen zambie zimbabwe
    égypte équateur érythrée éthiopie russie tchétchénie tchétchène* europe afrique asie
    amérique paris londres moscou usa saoudite émirats richard benjamin benoît charlotte colin
    serge véronique sylvestre camus calais bordeaux bourgogne cannes corse suez sèvres vichy
    bastille calvados cantal axa cedex bob shah
""",
    "es": _LATIN_COMMON
    + """
    # sexualidad, identidad de género, insultos
    gai lesbiana* homosexual* bisexual* heterosexual* transexual* transgénero* travesti*
    marica* maricón* maricona joto jotos puto putos tortillera* bollera* mariposa* loca locas
    sexo sexos sexual* sexualidad género orgullo arcoíris hombre hombres mujer mujeres chico
    chicos chica chicas niño niños niña niñas muchacho* muchacha* varón varones hembra* macho*
    marido* esposa* esposo* novio novios novia novias boda bodas matrimonio* casado* casada*
    viuda viudo señora señorita soltera masculino femenino femenil feminidad feminismo
    feminista hombría varonil mujeriego cornudo cortesana cónyuge misoginia misógino
    # sexo y cuerpo
    porno desnudo* desnuda* erótico* erótica* orgasmo pene vagina teta tetas culo culos polla
    coño verga follar coger cogida pija pito prostitut* burdel condón preservativo embarazada*
    embarazo embaraz* virgen virginidad amante amantes violación violar violador* violada
    arrecho cachonda cachondeo carnal clítoris culito erección erecto erotismo escroto esperma
    genital incesto lencería libido lujuria mamada pajero preñada sensual seducción seducir
    seductor sujetador tetona trasero uterino vaginal vibrador vaselina fetiche orinar
    masoquista sádico ladilla sífilis gonorrea prostíbulo quilombo pederasta prepucio testículo
    sodomía concubina glande rectal poligamia solterona menstrual menopausia
    # violencia, muerte
    muerte muertes muerto muertos muerta muertas morir murió matar mató matan asesin*
    homicidio* cadáver* ataúd tumba tumbas entierro funeral cementerio suicidio sangre
    sangriento* arma armas armado pistola fusil rifle bala balas bomba* guerra* masacre
    secuestr* rehén rehenes víctima* herido* heridos tortura* torturar verdugo ejecución
    terroris* atentado genocidio violencia violento* golpe golpes abusador abusar abusivo
    acosador acosar acoso agredido agredir agresión agresor ahogado ahorcado amputación asfixia
    autopsia azotado balazo bayoneta apuñal* calavera carabina cartucho castración castigo
    chantaje cianuro defunción deceso difunto dinamita disparo emboscada envenenar escopeta
    exterminar exterminio extorsión fallecer fallecido féretro fúnebre funeraria gatillo
    guillotina homicid* látigo matadero matanza metralla moribundo mortal mortalidad
    munición mutilación mutilado paredón pistolero puñalada puñetazo sicario tiroteo torpedo
    trinchera veneno venenosa vengador venganza vengar velorio vampiro psicópata guerrilla
    mercenario milicia explosivo explosión aborto ahorcar degollado mazmorra quemarropa mortífero
    sarcófago sepelio falangista esclavista sacrilegio villero
    # policía, cárcel, justicia, delación
    policía policías policial* poli guardia comisaría cárcel* prisión prisiones preso presos
    presa prisionero* detenido* detención arresto arrestado* esposas interrogatorio juicio
    juez jueces tribunal condena condenado* culpable criminal* crimen delito delincuente* espía
    espías traidor* traición chivato* soplón alcaide calabozo carabinero cautiverio cautividad
    cautivo coacción cohecho cómplice detenida detener dictador dictadura disidencia disidente
    encarcelar espionaje informante interrogar intimidar judicial judicatura juzgado jurado
    patrulla patrullero penado presidio prision* prófugo fugitivo recluso reclusión redada
    represalia represiva represión represor sedición subversivo subversión traficante
    veredicto arrestada arrestar desterrado destierro
    # huida, fronteras
    refugiado* refugio asilo visa visado pasaporte* frontera* huida huir fuga exilio
    exiliado* deportado* deportar migrante* inmigrante* emigrante* embajada clandestino*
    contrabando coyote escap* secreto secretos escond* migra* emigra* inmigra* evacu* fronter*
    armamento ejecutar ejecutor guerrero matador polic* sangr* soldado soldados transición
    # vergüenza, miedo, enfermedad, drogas
    vergüenza pecado pecador diablo infierno satanás sida vih cáncer miedo terror peligro
    droga drogas drogado heroína cocaína hachís mariguana morfina éxtasis adicto adicción
    alcohólico borracho borrachera anorexia bipolar demente manicomio cirrosis carcinoma
    hepatitis leucemia meningitis metástasis infarto pesadilla humillante humillar
    vergonzoso repugnante degenerado perversión perverso obsceno inmoral infiel racial racismo
    racista xenofobia antisemita gitano gringo yanqui gentuza insulto insultante retardado
    fascismo fascista nazismo extremismo extremista fanatismo fanático esclavitud esclavo
    desnudez íntimo intimidad estigma eutanasia excremento vomitar suicida suicidarse
    # religión
    dios dioses alá jesús cristo iglesia mezquita corán biblia islam islámico islamista
    musulmán musulmana musulmanes cristian* judío judía judíos católic* profeta anticristo
    blasfemia budismo budista bíblico crucifijo cripta demonio diabólico exorcismo exorcista
    hereje herejía islamismo israelita israelí jesuita jesucristo jehová judaísmo lucifer
    mahoma martirio purgatorio rabino resucitado sacerdote satánico sinagoga sionismo
    sionista vaticano rosario trinidad carmelita nazareno inquisidor
    # groserías
    mierda joder jodido carajo cabrón cabrones pendejo* gilipollas hijoputa chingar chingada
    chingado pinche culero concha idiota imbécil estúpido estúpida putear puta putas cagada
    chocho chucha chueca capullo guarra cobarde bastardo mariquita
    # nombres de personas y lugares
    afganistán albania alemania algeria andorra angola anguila antártida argentina armenia
    aruba australia austria azerbaiyán bahamas bangladés barbados baréin belice benín
    bielorrusia birmania bolivia botsuana brasil bulgaria burundi bután bélgica camboya
    camerún canadá catar chad chequia chile china chipre colombia congo croacia cuba curazao
    dinamarca dominica ecuador egipto eritrea eslovaquia eslovenia españa estonia esuatini
    etiopía filipinas finlandia fiyi francia gabón gambia georgia ghana gibraltar granada
    grecia groenlandia guadalupe guam guatemala guernsey guinea guyana haití honduras
    hungría india indonesia irak irlanda irán islandia israel italia jamaica japón jersey
    jordania kazajistán kenia kirguistán kiribati kuwait laos lesoto letonia liberia libia
    liechtenstein lituania luxemburgo líbano macao madagascar malasia malaui malta malí
    marruecos martinica mauricio mauritania mayotte moldavia mongolia montenegro montserrat
    mozambique méxico mónaco namibia nauru nepal nicaragua niger nigeria niue noruega omán
    pakistán palaos panamá paraguay perú pitcairn polonia portugal reunión ruanda rumanía
    samoa senegal serbia seychelles singapur siria somalia sudáfrica sudán suecia suiza
    surinám tailandia taiwán tanzania tayikistán togo tokelau tonga tunez turkmenistán
    turquía tuvalu ucrania uganda uruguay uzbekistán vanuatu venezuela vietnam yemen yibuti
    zambia zimbabue rusia chechenia checheno* europa américa áfrica asia madrid barcelona
    abraham adrián agustín alonso andrés anastasia aquiles arturo asensio aparicio aliaga
    alcántara alicante alejandría afrodita andrómeda atocha avellaneda avilés aragón arabia
    asturias balboa barragán barreda basilea basilio bayona bejarano beltrán benito benjamín
    bernardo bonilla borgoña borneo bosnia botero branca bretaña bruselas burdeos bárbara
    cabrera calahorra calatrava calderón california callao camilo campeche cantabria caracas
    carlos carlota carmen carola carolina carranza carrasco carrillo carvajal castro catalina
    cepeda cicerón cibeles claudia chamorro chihuahua colombo compostela cornejo corinto
    coruña cristina córdoba damasco escobar escocia escorial enrique florentino galileo
    gamboa garrido helena herrera hinojosa hurtado iberia iniesta isidro jacinto jeremías
    jerusalén jerónimo jordán josefina juliana leticia leónidas lombardo losada lozano
    lugano lázaro macarena macedonia machado magdalena manolo manuela mancera marcelino
    marcia mariano martín matamoros matute melgar milano milena miranda minerva moisés
    monterrey montilla morillo málaga méjico napoleón navarra newton noguera obregón olmedo
    ortega padilla palencia palomino pamela pancho paulina pascual patricia pedrosa pegaso
    pernambuco pineda pinocho pirineo platón polinesia potosí pozuelo prusia quesada
    quintana quintero quintín quique ramiro rivera robledo rondón rosita sabina salamanca
    salcedo salomón sancho sansón santiago sarmiento saturnino serafín sevilla séneca
    soriano susana teresa tertuliano tesalónica tetuán tiberio tobías toledo toscana trípoli
    utrera valdivia valencia valentina vallejo vargas venecia verónica vicente virginia
    vitoria vizcaya víctor zapata zurita ángela tenorio celestino cenicienta estrada olivera
    montero ferrer freire ferrero fontana castel indiana florida nevada amador facundo
    fajardo falcón flandes florencia francisco galindo galván gamarra garcía garzón germán
    gordillo guayaquil guaira guajira guayas guzmán gálvez génova habana herodes holanda
    gomera ginebra granadina babilonia jericó sajonia pretoria esquerra artemisa adonis antonino
    silvano melina pereda farfán negrete andrada torrejón motril bierzo priego martel gaditano
    virilidad indecencia cretino avergonzar servia berlanga
""",
    "ru": """
    # сексуальность, гендерная идентичность, оскорбления
    гей* геи гея геев геям геями геем гее транс гомосексу* гомик* педик* пидор* пидар* пидр*
    педераст*
    петух* голубой голубая голубые голубых голубого голубым лесби* бисексу* трансгендер*
    транссексу* трансвестит* квир лгбт извращ* содом* мужелож* гомофоб* ориентаци*
    однопол* гендер* мужчин* женщин* мальчик* девочк* парень парня парню парнем девушк*
    муж мужа мужу мужем мужья жена жены жене жену женой свадьб* брак брака браке браком
    жених* невест* девуш* девоч* девчон* девиц* девка женск* мужск* мужик* мальчиш* вдова
    # секс и тело
    секс* порн* эрот* голый голая голые голого голым оргазм* пенис* вагин* сиськ* грудь груди
    жопа жопу жопе жопы попа попу минет анал анальный анальная дроч* трах* шлюх* проститу*
    бордел* беремен* девствен* любовник* любовниц* изнасил* насил* задниц* мочи матки
    # насилие, смерть
    смерт* мертв* умер* умир* умрет умрут труп* гроб* могил* похорон* кладбищ* самоубий*
    суицид* убий* убит* убив* убил* убей убьют казн* расстрел* палач* пытк* пытат* пытал*
    кровь крови кровью кровав* оружи* пистолет* винтовк* автомат* пуля пули пулю пулей бомб*
    взрыв* войн* заложник* жертв* похищ* террор* теракт* боевик* резня пыток убейте бандит*
    беспорядк* выстрел* геноцид* гибел* гибнут погиб* заживо кинжал нож ножа ножом маньяк*
    насмерть оккупа* ополчен* обстрел* ограб* орудия боеприпас* рабов рабство рабы снайпер*
    снаряд* стрельб* стреля* ствол ствола штурм* утонул утопил фашис* фашиз* нацист* гитлер*
    вторжени* отравлен* сдох* наемник* мятеж* поджог* похит* отомст* мстит* мстить месть
    плен плена плену пленных пленник* аборт* вскрыти* гестапо голодовк* застрел* засад* избиени*
    киллер* казарм* миномет* мишен* павших погребени* пожизненн* подожг* подпол* расправ* рейх*
    нациз* траур* яд яда ядом наручник* хорон* минюст нацгварди* хамас лох малолетн* изгнан*
    янки грэмми алехандро берни бритни вольф дороти конте лейн магнус мар мик монтгомери мустафа
    рашид ринат ростислав* свифт сиси тихон трубецк* уитни уорд фергюсон филлипс франческо фриске
    хави хантер хорхе чайковск* эллис энгельс* эрих махачкал* манхэттен* херсон*
    # полиция, тюрьма, суд, доносы
    полиц* милиц* мент менты ментов ментам мусор* тюрьм* тюрем* зона зоны зоне зону арест*
    задержа* допрос* следовател* следстви* суд суда суде суду судом суды судья судьи приговор*
    преступ* виновн* обвин* осужд* заключен* фсб кгб мвд силовик* шпион* предател* донос*
    стукач* слежк* сизо узник* уголовн* розыск* репресс* конвой* надзор* лагер* колони* обыск*
    спецназ* спецслужб* омон* чекист* гулаг* наказан* наказать наказыва* вор вора воры воров
    воровать воровство ордер* улик* фсин
    # бегство, границы
    беженец беженц* беженк* убежищ* виза визы визу паспорт* границ* побег* эмигр* мигрант* иммигр*
    бегство бежать сбежа* миграц* прят* скрыв* скрыт* охран* солдат* судебн* месячные батюшк*
    исаак клавди* лида кауфман* дубровск* милуоки витебск* гамбург* вега подсудим* мэгги пейдж
    муса монреал*
    депорт* посольств* эвакуац* контрабанд* тайн* секрет*
    # стыд, страх, болезнь, наркотики
    позор* стыд* грех* грешн* страх* ужас* опасн* спид вич рак рака наркот* героин* кокаин*
    кокс инсульт инфаркт опухол* цыган* еврей* евре* нарко* негр* гетто секта секты сект
    псих психа издева* тупой тупым тупая жрать убеж* укрыт* укрыв* укрыться
    # религия
    бог бога богу богом боже господ* аллах* иисус* христ* церк* мечет* коран* библия библии
    библию ислам* мусульман* православ* дьявол* сатан* богородиц* божи* божь* богин* аминь
    евангели* епарх* епископ* митрополит* монах* монастыр* исповед* молитв* обител* пророк*
    ватикан* протоиере* святител* синод* прихожан* настоятел*
    # мат и брань
    хуй* хуе* хуя хуи хуё* пизд* еба* ебу* ебл* ебн* ебат* ебал* заеб* выеб* уеб* наеб* отъеб*
    бля* сука суки сучк* мудак* мудил* говн* срать сран* дерьм* залуп* манда мразь урод*
    дурак* идиот* дебил* придур* сволоч* ублюд* нахуй нахрен насрать хер херня хрен хреново
    тварь дура дрянь козел козл* фигня нахер стерва скотина стрип трусики униж*
    # сокращения (с гласными)
    тасс тэц уефа усср цска тыс нато осаго обсе мкад гибдд асср вцик мид гэс вов ссср снбо еспч
    еаэс брикс ркка мгимо фгуп интерфакс роскосмос роснефть лукойл нафтогаз центробанк
    # имена людей и названия мест
    путин* кадыров* кремл* чечн* чечен* ингуш* дагестан* кавказ* грозн* росси* москв*
    петербург* сибир* америк* европ* африк* азия азии ленин* сталин*
    дж* аарон абу адам адамс адель адлер алан александр* алексе* алена али алина алиса алла аллен
    альберт* альфред* анастаси* анатоли* андерсон* андре* анжи анна анны анне анну анри антон*
    антонио антуан аня аркади* арнольд* артур* асад* ахмед* барак* барбар* барби барри барт
    беляев* бен бенджамин* бернард* билл богдан* бобби бондаренко брайан* браун* брежнев*
    брэдли брюс* булгаков* буш бэтмен* вадим* валентин* валери* вальтер* ван варвар*
    васили* вероник* виктор* вилли винни винсент* винчи вирджини* витали* владимир*
    владислав* власов* володя воробьев* всеволод* вуди вячеслав* габриэль* гагарин* галин*
    ганди ганс гарри гарсия геннади* генри георги* герман* глеб* гогол* гомер* гончаров*
    гордон* грей грейс григори* григорьев* грин грэм гусев* густав* гэри давид* давыдов*
    дарья дарьи даша денис* дима дин дмитри* дональд* дрю дуглас* дэвид* дэвис* дэйв дэн
    дэниел* дэнни ева евгени* егор* екатерин* елен* елизавет* ельцин* ефремов* жак жан жанн*
    жозе жуков* зайцев* иван* игор* илья ильи инна иоанн* иосиф* ира ирин* кай калашников*
    калинин* капелло карен карл карла карлос кармен каролин* карпов* карри картер* катерин*
    катя кевин* кейн кейт келли кен кеннеди кенни кент керри ким кинг кирилл* киров* клара
    кларк* клаус* клинтон* клод клэр козлов* колин константин* кравченко кристи* кристоф*
    крылов* кузнецов* кузьмин* кук купер* курт кэмерон* кэти кэтрин* лавров* лазарев* ларис*
    ларри лаура лебедев* левин* лена лео леон леонард* леонид* леонтьев*
    лермонтов* лестер лиам лиди* лиза лили линда линкольн* логан* ломоносов* лопес лорен лори
    лоуренс* луи луиза луис лука лукас* лукашенко луценко льюис* людмил* люк люси ляшко
    макаренко макаров* макс максим* мануэль* маргарет* маргарит* марго марин* марио мари*
    марк марка марку марков* маркс* маркус* мартин* маша медведев* мельников* меркель*
    месси миа мигель* микки миллер* миронов* митчелл* михаил* михайлов* михаэль* миша мишель*
    моника монро морган* морис* морозов* мэй мэрилин* мэтт мэтью мюллер* навальн* назаров*
    наполеон* наруто наташ* настя натали* наталь* нельсон* никит* никол* нил нина нины ницше
    новак* новиков* оксан* олег* олес* оливер* ольг* оля омар оскар* остин отто пабло павел
    павл* паркер* патрик* паулу педро перес перри перси петер петр* пикассо питер* платон*
    порошенко поттер* прохоров* пугачев* пушкин* райан* райт рауль* рафаэль* рассел* рей рене
    рики рита ричард* ричи роб робби роберт* робин* роджер* родригес рома ромео рон роналду
    росс роуз руслан* руссо рут рыбаков* рэй саакашвили савченко саймон* сайрус сара сары
    саша себастьян* серге* сереж* серена сидни симон* смирнов* смит* соболев* соколов*
    соловьев* сорокин* софи* софь* стас станислав* степан* стефан* стив* стэнли стюарт*
    суворов* султан* сун тайлер* тамар* таня тарас* татьян* тейлор* тео терез* терри тим
    тимофе* тимошенко тимур* тина титов* тихонов* томас* томми томпсон* тони троицк* трамп*
    уайт уилл уилсон* уильям* уокер* уолл уолтер* уоррен* уотсон* ушаков* уэйн уэст федор*
    феликс* фернандо феррари филип* фишер* фокс форд* франклин* франко франсуа франц
    фред* фредерик* фридрих* фролов* фрэнк* фрэнсис* хавьер* харви харрис* харт хасан*
    хелен хиллари холмс* хосе хуан* хью хэмилтон* цезар* чак чан чарли чарльз* чен
    черчилл* чехов* чжан чон чуркин* шарлотт* шевченко шекспир* шерлок* шмидт* шойгу шон
    эдвард* эдди эдуард* эйнштейн* элизабет* элис эллен элли эмиль* эмма эмми эми энди
    эндрю энн энрике энтони эрдоган* эрик* эрнест* эшли юли* юля юра юрий юрия юрию юрием
    ющенко яков*
    яна янг януков* яценюк* ярослав* собянин* псаки рогозин* мутко кличко* аваков* булгак*
    гарри пьер марсел* алонсо* брюссел* мадонн* монте сергия
    авраам агата адриан* аксель анжелик* аполлон* атланта байден* бейкер* бендер* бенедикт*
    берг бетти бродск* брук вагнер* вильгельм* витя вишневск* гамильтон* гамлет* гарольд*
    гейтс генрих* геращенко герцен* глинк* гончаренко грег грегори гримм гюго гюнтер даг дак
    деннис дилан жерар жорж захар зинаид* кайл карнеги катрин квят кейси клименко коваленко
    ковальчук коллинз коул коэн крейг криштиану круз кэмпбелл кэри кэрол кэрри лана лара
    ллойд лоран лоренцо майер маккартни малик марат* маршалл матвиенко маяковск* меган мерфи
    моисе* моррис моуринью моцарт* мухаммед* мэн мюррей натан нелли норман* ньютон* олланд
    оуэн паоло паскал* пауэр пэт рикардо ронни руденко рузвельт* руни рэйчел рэнди сабин*
    саид салават саманта сандр* святослав* серж симпсон* слуцк* собчак соломон* спенсер суарес
    сьюзан тайсон тимоти тит ткаченко тодд торрес троцк* фабио фелипе фернандес фоменко
    ханна ханс харди эванс эдгар эдит элен эрнст эстер ярош каддафи
    аляск* астан* афин* будапешт* буэнос ванкувер* гава* дуба* ижевск* каир* калуг*
    кишинев* кузбасс* мехико миссури нормандии осло прусси* севиль* стокгольм* триполи
    феодоси* флоренци* франкфурт* хакаси* чуваши* ульяновск* ямал* балкари* византи*
    орехово амкар боруссия лацио шальке фенербахче черноморец* локо
    алеппо алма алматы алтай* амстердам* амур* анджелес* астрахан* баку барнаул* барселон*
    бостон* брест* бруклин* брянск* бурят* байкал* белгород* берлин* вашингтон* варшав*
    вегас* вене вена вены венеци* вильнюс* волгоград* вологд* воронеж* гааг* голливуд*
    гродно даллас детройт* днепр* донбасс* донецк* домодедово душанбе ереван* енисе*
    жанейро забайкал* казан* калифорни* камчатк* карели* кемерово керч* киев* кливленд*
    колорадо косово краснодар* красноярск* крым* кубан* курган* курск* лас лос лондон*
    ливерпул* луганск* львов* мадрид* манчестер* марсель* мариупол* минск* монако мордови*
    мурманск* мюнхен* невск* новгород* новоросси* нью огайо одесс* омск* орландо оренбург*
    париж* пекин* пенз* перм* петроград* праг* псков* рига риге ригу рим рима риме рио
    ростов* рязан* самар* санкт* сантьяго саратов* сахалин* сеул* сити сочи ставропол*
    стамбул* татарстан* ташкент* тбилиси твер* токио тольятти томск* торонто тул туль*
    тюмен* уфа уфе уфы урал* удмурт* хабаровск* харьков* хельсинки химки хьюстон* чикаго
    челябинск* шанхай* шанхае якути* якутск* ялт* ярославл* техас* флорид* фрунзе эстон*
    югослав* абхаз* башкир* калуж* кабардин* йошкар* ханты бавари* поволж* прибалт*
    приморь* приморск* новосибирск* екатеринбург* ленобласт* амурск* липецк* тамбов*
    смоленск* тверск* полтав* крымск* каталони* македони* аравии саудов* египт* англи*
    британи* шотланди* голланди* корее кореи туркмени* узбекск* казахск* эстонск*
    молдавск* молдов* литовск* латинск* армянск* армян*
    ювентус* юнайтед спартак* челси реал реала рейнджерс* цска анжи локомотив* динамо
    газпром* сбербанк* яндекс* ростелеком* мегафон* фейсбук* твиттер* вконтакте аэрофлот*
    автоваз* камаз* боинг* мерседес* феррари
    австрали* австри* азербайджан* албани* алжир* ангвилл* ангол* андорр* антарктик*
    аргентин* армени* аруб* афганистан* багам* бангладеш* барбадос* бахрейн* беларус* белиз*
    бельги* бенин* бермуд* болгари* боливи* ботсван* бразили* бурунд* бутан* вануату*
    венгри* венесуэл* вьетнам* габон* гаит* гайан* гамби* гана гваделуп* гватемал* гвине*
    германи* гибралтар* гондурас* гонконг* гренад* гренланди* греци* грузи* гуам
    дани* джибут* доминик* египет* замби* зимбабв* израил* инди* индонези* иордани*
    ирак иран ирланди* исланди* испани* итали* йемен* казахстан* камбодж* камерун* канад*
    катар* кени* кипр киргизи* кирибат* китай китая китае китаю колумби* комор* конг* куба
    кувейт* лаос латви* лесот* либери* ливан* ливи* литв* лихтенштейн* люксембург* маврики*
    мавритани* мадагаскар* малайзи* мали мальдив* мальт* марокк* мартиник* мексик* мозамбик*
    молдави* монголи* монтсеррат* мьянм* намиби* науру* непал* нигери* нидерланд* никарагу*
    норвеги* оман пакистан* палестин* панам* парагва* перу польш* португали* руанд* румыни*
    сальвадор* сенегал* серби* сингапур* сири* словаки* словени* сомал* судан* суринам*
    таджикистан* таиланд* тайван* танзани* токелау* тувалу* тунис* туркменистан* турци*
    уганд* узбекистан* украин* уругва* фидж* филиппин* финлянди* франци* хорвати* чад
    черногори* чехи* чили швейцари* швеци* эквадор* эритре* эстони* эфиопи* ямайк* япони*
""",
    "ar": """
    # الميول الجنسية والهوية الجندرية والشتائم
    مثلي مثليه مثليين مثليون مثليات شاذ شاذه شواذ شذوذ لوطي لواط سحاق سحاقيه متحول متحوله
    مخنث خنثي جنس جنسي جنسيه جنسيا جندر رجل رجال امراه نساء ولد اولاد بنت بنات فتاه فتيات فتي
    زوج زوجه زوجي زوجتي زواج عروس عريس ارمله انثي ذكور زفاف تزوج* تتزوج يتزوج متزوج* محارم
    تقبيل حجاب محجبه
    # الجنس والجسد
    جماع عاهره شرموطه قحبه زب كس نيك طيز منيوك متناك خول عرص زنا زاني اغتصاب اغتصب عاري عاريه
    دعاره شهوه عوره ختان
    عري اباحي سكس بورن ثدي مهبل قضيب حامل عذراء عشيق عشيقه
    # العنف والموت
    موت ميت ميته مات اموات قتل قتيل قتلي قاتل مقتل اغتيال جثه جثث قبر قبور مقبره جنازه دفن
    انتحار دم دماء دموي سلاح اسلحه بندقيه مسدس رصاص رصاصه قنبله انفجار تفجير حرب حروب مجزره
    مقابر مفخخه ميليشيا ميليشيات مقاتل يقاتلون تقاتل قتال مسلحه معسكر معارك قذائف قذيفه قنابل
    قصف نزيف نهب هجوم هجمات وحشيه وفيات وفاه مطارده مرعب مخيف شهيد شهداء استشهاد استشهد
    صواريخ صاروخ غاره غزو طعن دبابه كتائب كتيبه داعش اباده اختطاف اضطهاد اقتحام اقتحم
    اشتباكات انتقام انقلاب جهاد مجاهد جروح جرائم جثمان حتف* جيش جيوش جنود جندي ثوره ثوار
    انتفاضه حصار محاصره ورم عصابه اشلاء اجهاض ارهاب* ابتزاز اختطف استجواب اغتيل انتحر بنادق
    تشييع تعتقل تفجر تهجير رشاش رفات سجين* مسجون شنقا مداهمه مدعي مدرعه محكوم ناسفه نزوح هارب
    يذبح يعذب يقصف يفجر ينفجر تنفجر يدفن سفك جواسيس خونه متفجرات ذخيره متورط حثاله يطعن يقذف
    بتر حروق فخذ حميمه اغراء مفتش ويكيليكس حفتر يقتل تقتل نقتل اقتل يقتلون يموت تموت يموتون نموت
    اموت موته جنديا عسكري* دما دمه دمك بدم ملاذ تذبح خنجر داغستان شنوده بريتني جيبسون جيك
    رامبو رويز زويل سافانا ايتو عمير حليم انستجرام شبوه عسكر مامن غاليا غيتس غيوم فرنسيس
    فياريال كلايد لارسن كوثر
    اغا اوكلاند بيبر بيتيس بيكاسو جوبز جولد جيان جيروم راميريز رايموند روبيرتو رودريغو روزفلت
    روميرو ريهام سلفادور شيرمان طلحه علياء فريدمان فيدال كريشنا كيلر لينش ماجي مارلين موراليس
    هنتر هيلتون ويبر ويليس ويندي عزوز عواد حيان لقمان ملبورن اكادير سيبيريا قرطبه داكار
    كانساس كيوتو لويزيانا نيودلهي طنطا عرسال
    مذبحه ذبح عنف خطف رهينه رهائن ضحيه ضحايا جريح جرحي ارهاب ارهابي اعدام تعذيب عذاب جلاد
    # الشرطة والسجن والقضاء
    شرطه شرطي بوليس سجن سجين سجناء سجون معتقل اعتقال اعتقل حبس زنزانه محكمه قاضي قاض متهم
    جريمه مجرم مخابرات جاسوس تجسس خائن خيانه مخبر اعتقل* اتهام اتهم يتهم تتهم متهم تهمه تهم
    ادانه احتجاز تفتيش سراح ضابط ضباط حارس حراس حرس مباحث عقاب عقوبه معاقبه مؤامره محاكمه مدمن
    محاكم محامي مشتبه ملاحقه
    # الهروب والحدود
    لاجئ لاجئين لجوء تاشيره فيزا جواز حدود هروب هرب فرار منفي ترحيل مهاجر هجره سفاره تهريب
    مهرب سر سري سريه اسرار ملجا ماوي مستعار مخيم
    # العار والخوف والمرض والمخدرات
    عار فضيحه خوف رعب خطر ايدز سرطان مخدرات حشيش هيروين
    # الدين
    الله لله رب ربي نبي رسول قران مسجد كنيسه اسلام اسلامي مسلم مسلمين مسيحي يهودي شيطان جهنم
    حرام كافر كفار صلي وسلم جحيم خطيئه ابليس ملائكه يسوع فتوي فتاوي مفتي سبحان سبحانه يارب
    يالله ربك ربكم ربنا ربه ربهم وبركاته عاشوراء صلاه مساجد شيخ شيوخ عبدالله عزوجل قداس كنائس
    مسيحيين يهوديا يهوذا صهيون معصيه شريعه ركعه تلاوه جبرائيل يكفر
    # الشتائم
    كلب حمار خرا خره حقير وسخ خنزير
    # أسماء الأشخاص والأماكن
    محمد احمد علي حسن حسين عمر عبد ابو مصر سوريا روسيا ايران امريكا تركيا فلسطين بريطانيا
    اوروبا افريقيا اسيا لندن باريس موسكو الشيشان شيشان فلسطيني
    ادم ارثر الان ادريان البرت الفريد الكسندر اليكس الين انتوني اندرسون اندرو اندريه انطونيو
    انور اوباما اوليفر اوين ايمن ايوب ابراهيم ادريس ادوارد ادواردو اسحاق اسماعيل اليزابيث
    اليوت ايان ايثان ايرل ايريك ايزابيل ايزابيلا ايفا ايفان ايلي ايمانويل باتريك باراك
    باربرا باسل بابلو باولو بسام بشار بشير بطرس بلال بندر بنيامين بوب بوتفليقه بوريس بولس
    بيتر بيدرو بيرس بيريز تامر تايلر تايلور تشارلز تشارلي تيد تيري تيريزا تيم توم توماس
    توني جابر جاسم جاك جاكسون جانيت جايسون جبران جبريل جعفر جواد جورج جوردان جوزيف جوش
    جوليا جوليان جون جوناثان جونز جونسون جويل جيري جيريمي جيسي جيسيكا جيف جيفري جيم جيمس
    جين جينا حاتم حازم حامد حسام حسان حماده حمزه حمود حيدر خالد خامنئي خديجه خوان خوسيه
    دافيد دانيال دانييل داود داوود دونالد دومينيك ديانا ديفيد دينيس دييغو رالف رامز راموس
    رانيا رشاد رشدي رشيد رضا رضوان رستم روبرت روبن روبين روث روجر رونالدو ريتشارد ريبيكا
    ريان ريك ريموند رينيه زكريا زكي زهير زيد زينب ساره سالم سامي ساندرا سانشيز ستالين
    ستانلي ستيف ستيفن ستيفنز ستيوارت سعد سعود سفيان سلمان سليمان سمير سميث سهيل سوزان
    سيزار سيلفا سيمبسون سيمون شارلوت شارلي شاكر شاهين ترامب اردوغان
    شعيب شفيق شكسبير شوقي شون شيرين صابر صامويل صبري صدام ضياء طارق طاهر طلال طلعت عائشه
    عابد عامر عباس عبير عثمان عدي عزام عزت عصام عقيل علاء عماد عمار عمرو عيسي غاده غانم
    غراي غريغ غسان فؤاد فاروق فاطمه فايز فرانس فرانسوا فرانسيس فرانك فرانكلين فرانكو
    فلاديمير فهد فوزي فيروز فيشر فيكتور فيكتوريا فيليب قابوس قاسم قيس قيصر كاترين كاثرين
    كاثي كارتر كارل كارلو كارلوس كارمن كارول كارولينا كارين كاسترو كاظم كامبل كريستوفر
    كريستيان كريستين كلارك كلثوم كلير كلينتون كمال كوبر كوهين كولن كولينز كيفن كينيدي لارا
    لاري لطفي لوبيز لوثر لورا لورين لوكا لوكاس لويد لويز لويس ليا ليزا ليفي لينا ليندا
    لينكولن ليو ليونارد ليونيل ماثيو ماجد مارتن مارشال مارغريت ماركو ماركوس ماري ماريا
    ماريان ماريو مازن مالكوم مانويل ماهر مايا مايكل مجدي محسن محمود مختار مراد مرتضي
    مرزوق مرسي مروان مريم مسعود مشعل مصطفي مصعب معاذ معاويه ممدوح منال منصور منير مها مهدي
    مهند موريس موسي مونرو مونيكا ميخائيل ميرزا ميركل ميسي ميشال ميشيل ميكي ميلر نابليون
    ناجي ناصر نانسي نايف نتنياهو نجيب نزار نوال نوح نورا نورمان نيكول نيكولا نيكولاس نيل
    نيلسون نيمار نيوتن هارولد هاري هاريس هاشم هاني هتلر هنري هوارد هيثم هيفاء هيلاري هيو
    وائل وليام وليد ويليام ويليامز ويلسون يحيي يعقوب يوحنا يوسف يونس ياسر ياسمين ياسين
    ايرس ابوظبي ابيب اثينا اربيل اريزونا اسوان اسيوط اصفهان امستردام انقره اوسلو ادلب
    انجلترا اسطنبول بابل باكو بانكوك بغداد بكين بلغراد بنغازي بنغلاديش بودابست بورسعيد
    بورما بوسطن بيروت تبوك تكساس تورنتو جنيف حلب حمص حيفا دارفور دبي دجله دلهي دمشق رفح
    روما سياتل سيدني سيناء ستوكهولم جانيرو حضرموت شيكاغو صربيا صعده صنعاء صيدا طرابلس
    طرواده طنجه طهران طوكيو عدن عكا غرناطه غزه فاس فلوريدا فيتنام فيرجينيا فيغاس فيينا كابل
    كابول كربلاء كردستان كردفان كركوك كنتاكي كوريا لاهاي مارب مانشستر مانهاتن مانيلا مدريد
    مراكش مسقط مقدونيا مكه مكسيكو مومباي مونتريال ميامي ميونخ ميونيخ نابلس نابولي نجران
    نواكشوط نينوي نيويورك هارفارد هافانا هاواي هوليوود هيوستن واشنطن ويلز يافا يورك
    اوربا امريكي اميركا اميركي ايراني ايرانيون اسرائيلي
    سامسونج سوني غوغل جوجل فيسبوك فيفا كورونا لينكس مرسيدس ناسا ناروتو نوكيا ياهو يوتيوب
    يوفنتوس يونايتد ليفربول ويندوز واتساب ويكي توتنهام دورتموند تشيلسي برشلونه ارسنال
    بايرن تويوتا ديزني سكايب تويتر روتانا رويترز سناب اندرويد باتمان ارامكو
    ابراهام اتاتورك اتلانتا اتلتيكو الفيس اماندا امازون انجلس انجيلو اندريا اندريس انيتا
    اوبراين اوديسا اوستن اوغلو اوكسفورد اوهايو اينشتاين اربد الياس اميلي انتر ايكو ايليا
    اريحا اروميه باربي بارنز باسكال باهيا بايدن برادلي براغ بروكس بعلبك بنتلي بنجامين بوذا
    بورتر بورقيبه بوزيد بولتون بوليتزر بوليفار بومباي بوند بيتس بيرل بيفرلي بيلو تانيا
    تايلند ترومان ترينيداد تورونتو تورينو تومسون جاكرتا جالكسي جبيل جحا جرجس جريج جريس
    جوردن جيتس جيفرسون جينيفر حجازي حسيب حنبل حنيفه خاشقجي خافيير داليا دراغون دريك دنيس
    دوغ دوغلاس ديالي ديان ديفوار ديكسون ديمتري دييجو ذمار رافت راؤول راندي رشا رمسيس روان
    روبرتس روبرتو روجرز روسو روميو رونالد رويدا رويس ريتش ريختر ريغان ريفيرا ريكس رينولدز
    زاك ساركوزي ساشا سانتياغو ساندرز ساندي ساهر سايمون سباستيان سبيرز ستانتون ستانفورد
    سراييفو سطيف سقراط سقطري سنجار سوليفان سوهاج سيث سيرجيو سيسي سينغ سييرا شانيل شبرا
    شلبي شميت شنغهاي شومان شيراز شيماء صفد صقليه طرطوس طومسون طوني ظفار عبدو عجمان عساف
    عفان علوش عنتر عنيزه عياش غاندي غراهام غريس غلين غولد غيث فرناندو فريزر فودافون فوربس
    فورست فيراري فيرناندو فيرونيكا فيليكس قباني قتاده قحطان قرطاج كاراكاس كارفور كارلتون
    كامبريدج كايل كتالونيا كراتشي كلود كليفلاند كنعان كورتني كولمان كولورادو كومار كينيث
    لاهور لحج لورنس ليديا ليزلي ليليان ليوناردو ماتيو مارتينيز مارثا مارسيل مارسيلو ماير
    مايرز مايلز مايلي مسعد معتز مقتدي مكناس مولدوفا مولر مونتانا ميتشل ميتشيل ميراندا
    ميرفي ميريام ميلانو ميمون مينيسوتا ناتالي ناثان نجاد نصار نوفل نولان نيروبي نيفادا
    نيكسون نيومان هارتس هارفرد هانز هايدي هزاع همام هندرسون هوغو هولاند هوليود هوندا هيرمان
    هيروشيما هيكتور هيكس هيون وارسو وارن واشنطون وانغ وايلد ووكر وولف وهران يارا
    ايسلندا اذربيجان ارمينيا اروبا استراليا افغانستان البانيا المانيا اندورا انغولا انغويلا
    اوزبكستان اوغندا اوكرانيا ايرلندا اثيوبيا اريتريا اسبانيا استونيا اسرائيل اسواتيني
    اندونيسيا ايطاليا باكستان بالاو بتكيرن بربادوس برمودا بلجيكا بلغاريا بنغلادش بنما بنين
    بوتان بوتسوانا بورتوريكو بوروندي بولندا بوليفيا بيليز تايلاند تايوان تركمانستان تشاد
    تشيلي تنزانيا توغو توفالو تونس تونغا جامايكا جوام جورجيا جيبوتي جيرسي دومينيكا رواندا
    رومانيا ريونيون زامبيا زمبابوي سريلانكا سلوفاكيا سلوفينيا سنغافوره سورينام سويسرا سيراليون
    صاموا صربيه طاجيكستان عمان غامبيا غانا غرينادا غرينلاند غواتيمالا غويانا غينيا فانواتو
    فرنسا فنزويلا فنلندا فيجي قبرص قطر قيرغزستان كازاخستان كرواتيا كمبوديا كندا كوبا
    كوستاريكا كولومبيا كيريباتي كينيا لاتفيا لبنان لثوانيا لوكسمبورغ ليبيا ليبيريا ليسوتو
    ليشتنشتاين مارتينيك مالطه مالي ماليزيا مايوت مدغشقر مكاو ملاوي منغوليا موريتانيا
    موريشيوس موزمبيق موناكو مونتسيرات ميانمار ناميبيا ناورو نيبال نيجيريا نيكاراجوا
    نيوزيلاندا نيوي هايتي هندوراس هولندا
""",
    "fa": """
    # گرایش جنسی، هویت جنسیتی، ناسزا
    همجنس* همجنسگرا گی لزبین لز کونی اوبنه ترنس تراجنسیتی دوجنسگرا دگرباش* کوییر جنسی جنسیت
    مرد مردها مردان زن زنها زنان پسر پسرها دختر دخترها شوهر همسر ازدواج عروس داماد بیوه
    پسر* دختر* مردانه مردونه مردا مردک زنانه زنونه زنت زنش خانم* خانوم* اقای اقایان اقایون
    دوشیزه متاهل مجرد مهریه طلاق نکاح منحرف
    # سکس و بدن
    سکس سکسی پورن لخت برهنه کیر کس کون جنده فاحشه لواط زنا تجاوز حامله باکره معشوقه
    ارگاسم بیضه تناسلی ادرار مدفوع کاندوم واژن نطفه باسن شهوت حاملگی بارداری زایمان زناشویی
    متجاوز مادرجنده صیغه عریان مذکر مردانگی مقعد ناموس عفت پریود کسخل فحاشی
    # خشونت و مرگ
    مرگ مرده مردن میمیرد کشتن کشته کشت قتل قاتل جسد قبر گور قبرستان تشییع دفن خودکشی خون
    اسلحه سلاح تفنگ گلوله بمب انفجار جنگ کشتار خشونت گروگان قربانی زخمی تروریست ترور اعدام
    شکنجه جلاد ادمکش انتحاری انتقام انهدام بالستیک بمب* تبهکار تیرانداز جنایت* جنگنده جنگیدن
    جنگه جنازه جمجمه خاکسپاری خنجر خونریزی خونین زجر سرکوب سنگسار سقط شلاق شلیک شهادت شهدا
    شهدای شهید تسلیحات* توپخانه شتم قصاص دیه مجازات سوگواری عزاداری لاشه مجروح محبوس
    محکوم* مرحوم مردگان مرگبار مزدور مسلح مسلحانه مسلسل مسموم مظنون مقبره مقتول منفجر*
    موشک نارنجک کتک کشنده گورستان یورش کودتا کودتای قربانیان باروت تدفین تعزیری تقاص تکفیری
    جنگجو رزمایش رزمنده سرلشکر ستوان گروهبان شورشیان فشنگ کفن کلاهک کهریزک گانگستر هلاکت
    هولوکاست ذبح بمیر* بکشین نطنز موساد اراذل مجرمانه اخته اغتشاش خشاب سرتیپ شهوانی طاغوت
    چماق همدست خفگی وضو لبیک عاشورایی عتبات زرتشت* عفاف مهاجرتی
    اناهیتا تئودور تامپسون جولیان راشل رزی ساندرا سورن سینگ شهبازی فیلیپس مظلومی هادسون هایده
    پائولو انصاریان بهبهانی تینا حنیف دورن هیو الاسکا اردستان تویسرکان قروه ننگرهار نوادا
    هلمند نینوا اسلو تاتنهام جنس* اقامت* مخفی* مرز* مهاجر* ارتش* سرباز* نظامی* غیرنظامی
    مامور* بجنگیم جنگجوی مرگه نمرده النبی انجلا گومز کافکا هگل هیون ورن کنان چهرازی برازجان
    تنکابن بوداپست تیرباران درگذشته زولا دهلوی سمیرم سیرجان سرخس خوزستانی فدائیان فیلترشکن
    مافیا* غیرطبیعی مرتیکه محبوبه
    # پلیس، زندان، دادگاه
    پلیس بسیج بسیجی سپاه زندان زندانی زندانها بازداشت دستگیر دستگیری بازجویی بازجو دادگاه قاضی
    جرم مجرم جنایت جاسوس خائن خیانت خبرچین زندان* بازپرس بازرسی دادستان* دادسرای پیگرد
    کلانتری کیفری پادگان پاسداران پاسگاه انتظامی امنیتی حراست ساواک اوین افسر قضائیه متهم
    اسارت اسیر براندازی سرنگونی شورشی
    # فرار و مرز
    پناهنده پناهجو پناهندگی ویزا روادید پاسپورت گذرنامه مرز مرزی فرار تبعید مهاجرت مهاجر سفارت
    قاچاق قاچاقچی راز مخفی پناه* اواره
    # شرم، ترس، بیماری، مواد مخدر
    شرم آبرو ننگ ترس* وحشت* خطر ایدز سرطان* مواد تریاک هروئین اعتیاد معتاد مخدر الکل تحقیر
    تمسخر توهین کابوس
    # دین
    خدا الله امام پیامبر قرآن مسجد اسلام اسلامی مسلمان شیعه کلیسا مسیحی یهودی شیطان جهنم حرام
    کافر کفر گناه* شیاطین شیطان* صهیونیست طالبان عذاب فتوا* نماز مداحی روضه حسینیه اربعین
    امام* اخوند* ایت شیخ ملا طلبه مجتهد فقیه قیامت معراج شیعی شیعیان عاشورا علمیه تشیع شریعت
    شفاعت سجده سوره انجیل اذان بسم توبه توحید جبرئیل حجاب خدا* روحانی* زرتشت یهود* مسیح*
    کعبه یزید مجاهدین منافقین نفرین ولایت ولایتی کربلا کربلای ابلیس ابوطالب اهریمن جهنمی خوارج
    عمامه مرقد مرثیه نجس وهابی کاتولیک کفار تسنن صحابه سبحان بالله لله الرحیم المسلمین
    المهدی الزهرا اصولگرا
    # فحش
    کثافت لعنت لعنتی گه گوه گوز احمق* کصکش کسکش جاکش حرومزاده حرامزاده ابله الاغ فحش گمشو
    لامصب مزخرف* اوباش
    # نام افراد و مکانها
    ایران ایرانی تهران آمریکا آمریکایی روسیه ترکیه سوریه انگلیس عربستان اسرائیل اروپا آسیا
    آفریقا محمد علی حسین حسن رضا مهدی فاطمه زهرا خمینی خامنه رهبر انقلاب جمهوری رژیم چچن
    اعلیحضرت شاه شاهنشاهی رضاشاه رضاخان برجام استکبار خبرگان پوتین ترامپ اوباما هیتلر
    نتانیاهو اردوغان استالین لنین رجوی کروبی خاتمی رفسنجانی لاریجانی قالیباف مطهری طالقانی
    چمران مصدق پهلوی قاجار ناتو پنتاگون
    ابراهام اتلانتا اتن اتنا ادام ادم ارتور ارش ارمین ارنولد ارون اریا ارین استارا اشتیانی
    البرت الفرد الن الیس امل انا انتونی انجلس اندره انکارا ایدا ایدین ابراهیم ابراهیمی
    ابوالحسن ابوالفضل ابوبکر ابوذر احمد ادلب ادوارد ادگار اراک اردبیل اردشیر اردلان ارسطو
    ارل ارومیه اریک استانبول استفان استنفورد استوک استکهلم استیو استیون اسحاق اسد
    اسلامشهر اسماعیل اسمیت اسپنسر اسکات اسکاتلند اسکندر اشرف اصغر اصفهان اصفهانی افشار
    افشین افلاطون اقبال الاهلی البرز الکس الکساندر الیاس الیزابت الیور امیرحسین امیرکبیر
    امیلی امین انریکه انزلی انصاری انور اهواز ایذه ایرج ایلام ایوب بابل بابلسر بابک باراک
    باربارا بارسلونا باقر باکو بامیان بانه بانکوک بایرن بجنورد بختیاری بخارا بروجرد بروس
    برونو بروکسل برلین برنارد بشار بصره بغداد بلال بلخ بلگراد بلوچ بلوچستان بندرعباس
    بنیامین بهبهان بهرام بهرامی بهروز بهزاد بهنام بوستون بوش بوشهر بوفالو بولتون بویراحمد
    بیرانوند بیرجند بیروت بیضایی بیژن تامسون تبریز تتلو تجریش تفلیس تورنتو توماس توکلی
    توکیو تگزاس تیلور تیمور جاستین جاناتان جانسون جرج جردن جسی جعفر جلال جلیلی جمال جمشید
    جنی جنیفر جهانبخش جهرم جهرمی جواد جورج جوزف جونز جکسون جکی جیسون جیمز جیمی جیک حائری
    حاتمی حامد حبیب حجازی حداد حسام حشمت حمزه حمید حمیدرضا حیدر خالد خدیجه خراسان خرمشهر
    خسرو خلخال خلیل خوارزمی خوزستان خیام دالاس دامغان داریوش دانیال داود داوود داگلاس دبی
    دزفول دماوند دمشق دنور دنیس دنیل دهخدا دونالد دیویس رابرت رابین راجر راجرز رامبد
    رامسر رامین رجایی رحمانی رحمتی رحیم رحیمی رستم رستمی رسول رشت رضوی رفسنجان رفیعی رقیه
    رهنورد روزبه رونالدو ریحانه ریچارد ریچل ریک ریموند زابل زاهدان زاگرس زنجان زنجانی زنگنه
    زهره زینب سارا ساسان ساسانی ساموئل سانتیاگو ساوه سایمون سبزوار سجاد سردشت سعدی سعید سقز
    سلطانی سلمان سلیمان سلیمانی سلیمی سمنان سمیه سنندج سهراب سهند سهیل سوئیفت سوسن سیامک
    سیاوش سیدعلی سیدنی سیروان سیروس سیستان سیمین سینا شادمهر شاملو شاهرخ شاهرود شاپور
    شجریان شرلوک شریعتی شفیعی شهرام شهرزاد شهرکرد شهناز شیراز شیکاگو صابر صدیقی صمد ضحاک
    طارمی طاهری طباطبایی طبری طبس طوسی عایشه عباس عبدالرضا عبدالله عثمان عسکری عسگری
    عسلویه عطار عظیمی عقیلی علیرضا علیزاده عماد عیسی غفاری غلامحسین غلامرضا غلامی فارابی
    فاستر فاطمی فاطمیه فراهانی فرامرز فرخ فرخزاد فرزاد فرزانه فرزین فرشاد فرهاد فروغ فریبا
    فرید فریدریش فریدون فلورا فلورانس فلوید فیروز فیشر فیلیپ قاسم قاسمی قاهره قزوین
    قشقایی قشم قمی قوچان لئونارد لئوناردو لادن لاهیجان لرستان لستر لندن لوئیس لوتر لورا
    لورن لوس لوکا لوکاس لوگان لویی لیام لیز لیلا لیلی لیندا مارتا مارتین مارسل مارشال
    مارک مارکس مارکو مارکوس مارگارت مازندران مازیار مالکوم مانا ماهشهر ماکو مایا مایک
    مایکل مجتبی مجید محسن محمدجواد محمدحسین محمدرضا محمدعلی محمدمهدی محمود مدینه مراغه
    مرتضوی مرتضی مرجان مرضیه مریم مریوان مسعود مسکو مشهد مصطفی مظفر معاویه معصومه ملاصدرا
    ملایر ملبورن ممد ممسنی منصور منهتن منوچهر منچستر مهاباد مهدوی مهراد مهرداد مهناز موسوی
    موسی مولانا مونا مونرو مونیخ مونیکا میبد میثم میرحسین میرزا میشل میلاد میلان میلر مینا
    مینو نادر ناصر ناهید نانسی نجفی نسرین نصرالله نصیر نلسون نوبخت نورمن نوشهر نولان
    نیاوران نیشابور نیما نیویورک نیچه هادی هاروارد هارولد هاشمی هالک هالیوود هامون هانا
    هانس هانیه هاوارد هرات هرمزگان هرکول هری هریس هلن همایون همدان همدانی هوشنگ هومن هوگو
    هویدا هیلاری واتسون وارن واشنگتن والاس والتر ورامین ولادیمیر ولز ولف ولیعصر ونیز ویلیام
    ویکتور ویکتوریا پابلو پاتر پاتریک پارسا پاسارگاد پاشایی پاول پدرو پرویز پروین پریسا
    پلاسکو پورتلند پوریا پژمان پکن پیتر چابهار چارلز چارلی چالوس چنگیز چاوشی ژان ژاک ژنو
    کاترین کارل کارلوس کارن کارول کارون کازرون کاشانی کاشمر کاظم کاظمی کامبیز کامران کاوه
    کبری کتی کرج کرزی کرمان کرمانشاه کرمانی کریم کریمی کسایی کلارک کلهر کلود کلیر کلینتون
    کوروش کیارستمی کیان کیروش کیوان کیومرث کیم گاندی گراهام گودرزی گوردون گوگوش گیتس گیلان
    گیلانی یاسر یاسوج یاسین یحیی یزد یزدانی یعقوب یوسف یونس شاهین کردستان ایلام بلوچ
    پراید پرسپولیس پورشه پژو سایپا ایرانسل اسنپ تلگرام* توییتر سامسونگ اپل اینتل ایرنا ایسنا
    تسنیم دیزنی سوپرمن بتمن جوکر جومونگ خندوانه ایرباس سیتروئن سیسکو هواوی شیائومی هیوندای
    ادامز اراگورن انتالیا احمدرضا ادیسون ارسلان ارنست استفن اسدالله اسعد اسفندیار اسکارلت
    اصلانی امانوئل ایروان ایلنا بایدن بدخشان برتون بهداد بهشهر بورن پترسون پدرام پراگ
    پالرمو پاستور پاوه ترزا ترنر جابز جرارد جسیکا حریری حمیرا خشایار خوزه دانته دانکن دانیل
    دکستر دیانا رافائل ربکا ریگان زرند زکریا سامرا سلنا سلین سمیعی سهروردی سوارز شارون
    شاندیز شانگهای شلدون شهلا عدنان علیپور غزالی غلامعلی فخرالدین فردین فرگوسن فریبرز قنبری
    لارا لارنس لقمان لورنزو لوزان لوپز لینکلن لیونل ماساچوست متیو محمدباقر محمدزاده مرعشی
    مرلین مرکل مشایی مشیری معصومی مهسا مهین موشه مورینیو مژگان میاندوآب میخای میرجاوه میرزاده
    نامجو ناپلئون نیمار نینا نیوتن نیوجرسی هارون هاروی هارپر هافمن هامبورگ هومر هیمالیا
    هیوستون واترز واشینگتن والنسیا وینسنت ویلسون ویلیامز چندلر کارمن کانر کانزاس کانن کلاوس
    کیانوش گالیله گلشیفته گنابادی گلپایگان اندیمشک یغمایی دوحه کشمیر قفقاز ابوظبی امستردام
    اکسفورد هوارد هولمز هدی ژاله عبید
    آذربایجان آروبا آرژانتین آلبانی آلمان آندورا آنگولا آنگیل اتریش اتیوپی اردن ارمنستان
    اروگوئه اریتره ازبکستان استرالیا استونی اسراییل اسلواکی اسلوونی اسپانیا افغانستان
    الجزایر السالوادور اندونزی انگلستان اوگاندا اکراین اکوادور ایتالیا ایرلند ایسلند
    باربادوس باهاما بحرین برزیل برمودا بلاروس بلغارستان بلژیک بلیز بنگلادش بنین بوتان
    بوتسوانا بوروندی بورکینافاسو بولیوی تاجیکستان تانزانیا تایلند تایوان ترکمنستان تونس
    تونگا تووالو توکلائو توگو جاماییکا جرسی جیبوتی دانمارک دومینیکا رئونیون رواندا
    رومانی زامبیا زیمبابوه ساموا سنگال سنگاپور سوئد سوئیس سودان سورینام سومالی
    سیرالئون سیشل شیلی صربستان عراق عمان غنا فرانسه فلسطین فنلاند فیجی فیلیپین قبرس
    قرقیزستان قزاقستان قطر لبنان لتونی لسوتو لهستان لوکزامبورگ لوگزامبورگ لیبریا لیبی
    لیتوانی ماداگاسکار مارتینیک مالاوی مالدیو مالزی مالی ماکائو مایوت مجارستان
    مراکش مصر مغولستان موریتانی موریتیوس موزامبیک مولداوی موناکو مکزیک میانمار
    نائورو نامیبیا نروژ نپال نیجر نیجریه نیوئه نیوزیلند نیکاراگوئه هاییتی هلند هندوراس
    هندوستان وانواتو ونزوئلا ویتنام پاراگوئه پالائو پاناما پاکستان پرتغال پرو پیتکایرن چاد
    چک چین ژاپن کاستاریکا کامبوج کامرون کانادا کرواسی کلمبیا کنیا کوبا کوراسائو کومورو کونگو
    کویت کیریباتی گابون گامبیا گرانادا گرجستان گرنزی گروئنلند گواتمالا گوادلوپ گوام
    گویان گیبرالتار گینه یمن یونان هند
""",
}


@dataclass(frozen=True)
class Stoplist:
    words: frozenset[str]  # folded entries
    stems: frozenset[str]  # their stems
    prefixes: tuple[str, ...]  # folded prefix entries


@cache
def stoplist(lang: str) -> Stoplist:
    """The parsed stoplist of `lang`."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for line in STOPLISTS[lang].splitlines():
        for entry in line.split("#", 1)[0].split():
            if entry.endswith("*"):
                prefixes.add(fold(lang, entry[:-1]))
            else:
                words.add(fold(lang, entry))
    stems = frozenset(stem(lang, w) for w in words)
    return Stoplist(frozenset(words), stems, tuple(sorted(prefixes)))


def is_stopped(lang: str, word: str) -> bool:
    """Whether `word` is a stoplist entry, shares a stem with one, or starts with a prefix."""
    stops = stoplist(lang)
    key = fold(lang, word)
    return key in stops.words or key.startswith(stops.prefixes) or stem(lang, word) in stops.stems


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------


def _read_xkcd(name: str) -> list[str]:
    """The words of an xkcdpass list: BOM, CRs and a leading dice-number column stripped."""
    text = (XKCD_STATIC / name).read_text(encoding="utf-8-sig")
    words = []
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0].isdigit():
            fields = fields[1:]
        if len(fields) == 1:  # multi-word entries ("aide de camp") are not codename words
            words.append(unicodedata.normalize("NFC", fields[0]))
    return words


def _by_frequency(lang: str, words: Iterable[str]) -> list[str]:
    """Distinct words, most frequent first (ties broken alphabetically)."""
    return sorted(set(words), key=lambda w: (-wordfreq.word_frequency(w, lang), w))


XKCD_LISTS = {"en": "eff-long", "fr": "fr-freelang", "es": "spa-mich"}


def _wordfreq_top(lang: str) -> Iterator[str]:
    """wordfreq's whole list for `lang`, most frequent first (loaded only when reached)."""
    yield from wordfreq.top_n_list(lang, 10**7)


def _xkcd_source(lang: str) -> Iterator[str]:
    """The xkcdpass list of `lang` (en, fr, es), most frequent first."""
    if lang == "fr":
        # fr-freelang is a general vocabulary but carries names and English words in lower case
        # ("paris", "louis", "black"); fr-corrected.txt is a spelling list of common French words
        # and drops them. It has no word with ç at all, so those are taken on freelang alone.
        spelling = set(_read_xkcd("fr-corrected.txt"))
        words = [w for w in _read_xkcd("fr-freelang") if w in spelling or "ç" in w]
    else:
        words = _read_xkcd(XKCD_LISTS[lang])
    yield from _by_frequency(lang, words)


def sources(lang: str) -> list[tuple[str, Iterator[str]]]:
    """Where the words of `lang` come from, in order: the first is used up before the next."""
    top = (f"wordfreq top_n_list({lang!r})", _wordfreq_top(lang))
    if lang in XKCD_LISTS:
        return [(f"xkcdpass {XKCD_LISTS[lang]}", _xkcd_source(lang)), top]
    return [top]


# --------------------------------------------------------------------------------------------
# Filters and selection
# --------------------------------------------------------------------------------------------


def usable(lang: str, word: str) -> bool:
    """Whether `word` (as found in a source) may be a codename word of `lang`."""
    if word != unicodedata.normalize("NFC", word):
        return False
    low, high = LENGTHS[lang]
    if not low <= len(word) <= high or not set(word) <= ALPHABETS[lang]:
        return False
    # Arabic: no definite article, bare or behind a clitic (الكتاب, والكتاب, بالكتاب, للكتاب):
    # the bare word is the one to remember.
    if lang == "ar" and (_has_article(word) or _has_clitic(word)):
        return False
    if lang == "ru" and not _russian_shape(word):
        return False
    return not is_stopped(lang, word)


_RU_VOWELS = frozenset("аеиоуыэюя")
_RU_PATRONYMIC = re.compile(r"(ович|евич)(а|у|ем|е)?$|(овна|евна|ична)$")


def _russian_surname(word: str) -> bool:
    """Looks like a surname: "иванов"/"иванова" with an adjectival "ивановым" in the corpus."""
    vocab = _vocabulary("ru")
    if word.endswith(("ов", "ев", "ин")):
        return word + "ым" in vocab
    if word.endswith(("ова", "ева", "ина")):
        return word[:-1] + "ым" in vocab
    return False


@cache
def _vocabulary(lang: str) -> frozenset[str]:
    return frozenset(wordfreq.top_n_list(lang, 10**7))


def _russian_shape(word: str) -> bool:
    """Russian: weed out abbreviations (НКВД, МЧС, ООН), interjections and patronymics.

    A word needs a vowel; a 3-letter word must be consonant-vowel-consonant ("дом", "сад"),
    which drops "оон", "мчс", "ага"; patronymics ("петрович", "ивановна") are names.
    """
    if not _RU_VOWELS & set(word) or _russian_surname(word):
        return False
    if len(word) == 3 and [ch in _RU_VOWELS for ch in word] != [False, True, False]:
        return False
    return not _RU_PATRONYMIC.search(word)


def _has_article(word: str) -> bool:
    """Whether an Arabic word starts with the article ال, bare or after و ف ب ك ل."""
    if word.startswith("ال") and len(word) >= 4:
        return True
    if word.startswith("لل") and len(word) >= 4:
        return True
    return word[:1] in set("وفبكل") and word[1:3] == "ال" and len(word) >= 5


def _has_clitic(word: str) -> bool:
    """Whether an Arabic word is a clitic (و ف ب ك ل) on a more common word: بعمل, لأجل, وقال."""
    if len(word) < 4 or word[0] not in "وفبكل":
        return False
    base = word[1:]
    return wordfreq.word_frequency(base, "ar") >= wordfreq.word_frequency(word, "ar") > 0


@dataclass(frozen=True)
class Result:
    words: list[str]  # sorted
    taken: dict[str, int]  # source name -> words taken from it


def _select(lang: str) -> Result:
    chosen: list[str] = []
    keys: set[str] = set()
    stems: set[str] = set()
    taken: dict[str, int] = {}
    for name, words in sources(lang):
        if len(chosen) == SIZE:
            break
        before = len(chosen)
        for word in _candidates(lang, words):
            key, root = fold(lang, word), stem(lang, word)
            if key in keys or root in stems:
                continue
            keys.add(key)
            stems.add(root)
            chosen.append(word)
            if len(chosen) == SIZE:
                break
        taken[name] = len(chosen) - before
    if len(chosen) != SIZE:
        raise RuntimeError(f"{lang}: only {len(chosen)} usable words, need {SIZE}")
    return Result(sorted(chosen), taken)


def _candidates(lang: str, words: Iterable[str]) -> Iterator[str]:
    for word in words:
        if usable(lang, word):
            yield word


def build(lang: str) -> list[str]:
    """The word list of `lang`: exactly SIZE unique NFC words, sorted by code point."""
    return _select(lang).words


def render(words: list[str]) -> str:
    return "".join(f"{w}\n" for w in words)


def main(langs: Iterable[str] = LANGS) -> None:
    langs = list(langs)
    unknown = sorted(set(langs) - set(LANGS))
    if unknown:
        raise SystemExit(f"unknown language(s) {', '.join(unknown)}; choose from {' '.join(LANGS)}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    bits = WORDS_PER_CODENAME * math.log2(SIZE)
    for lang in langs:
        result = _select(lang)
        path = OUT_DIR / f"{lang}.txt"
        path.write_text(render(result.words), encoding="utf-8", newline="\n")
        origin = ", ".join(f"{n} from {name}" for name, n in result.taken.items() if n)
        sys.stdout.write(
            f"{lang}: {len(result.words)} words ({origin}); "
            f"{WORDS_PER_CODENAME} words = {bits:.1f} bits -> {path.relative_to(ROOT)}\n"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or LANGS)
