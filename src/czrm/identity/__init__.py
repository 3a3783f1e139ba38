"""Identity resolution: departmental source records linked into one person each."""
