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
