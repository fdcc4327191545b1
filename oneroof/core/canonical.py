"""OneRoof's own FHIR canonical base: where a deployment publishes the code systems,
extensions and measures that no national body holds. Named once, here, because both the fhir
app and the measures app (which sits below it) build URLs from it."""

FHIR_BASE = "https://oneroof.example.org/fhir"
