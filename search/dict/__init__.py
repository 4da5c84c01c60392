"""The search dictionaries (userdict.txt, synonyms.txt, seed_terms.txt) and the script that rebuilds userdict.txt."""
