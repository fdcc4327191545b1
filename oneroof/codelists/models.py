"""Clinical codelists (SNOMED CT) with their provenance, loaded from the CSVs in this app."""

from django.db import models


class Codelist(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    source = models.TextField()  # where the definition comes from, from the CSV header
    version = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.name


class CodelistEntry(models.Model):
    codelist = models.ForeignKey(Codelist, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(max_length=18)  # SNOMED CT concept id
    term = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["codelist", "code"], name="one_code_per_codelist")
        ]


# --- A SNOMED CT release, loaded by `manage.py load_snomed` -----------------------------------
# One release at a time: loading another replaces it whole. Only what codelist definitions need
# is kept: every concept (active or not), one term each, and the active IS-A relationships.


class SnomedRelease(models.Model):
    version = models.CharField(max_length=40)  # from the file names, e.g. GB1000000_20250101
    effective_date = models.DateField()
    folder = models.CharField(max_length=255)  # the release folder's name, not its path
    loaded_at = models.DateTimeField()
    concepts = models.PositiveIntegerField()
    active_concepts = models.PositiveIntegerField()
    is_a_relationships = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"SNOMED CT {self.version}"


class SnomedConcept(models.Model):
    id = models.BigIntegerField(primary_key=True)  # the SCTID
    active = models.BooleanField()
    term = models.TextField()  # the fully specified name without its semantic tag

    def __str__(self) -> str:
        return f"{self.id} |{self.term}|"


class SnomedIsA(models.Model):
    """An active IS-A relationship: `child` is a kind of `parent` (SCTIDs; no foreign keys, so
    that a release loads as plain bulk inserts)."""

    child = models.BigIntegerField()
    parent = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["parent"], name="snomed_isa_parent")]
