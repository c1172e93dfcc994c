"""The worker's installable app: its shell, the service worker at root scope, the web app
manifest, and the precache manifest of content hashes that lets a release replace the shell
atomically."""
