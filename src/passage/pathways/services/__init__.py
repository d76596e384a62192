"""Every write of the pathways app: partner profiles, programmes, applications."""
