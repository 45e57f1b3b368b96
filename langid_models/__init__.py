"""Registry of language-identification models: name, file, sha256, licence and origin."""
