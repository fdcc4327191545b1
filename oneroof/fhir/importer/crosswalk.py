"""LOINC to SNOMED CT for the vital signs other systems (US ones especially) send with LOINC.

OneRoof records observations in SNOMED CT, as English primary care does. Only these
observable entities are mapped, each one the concept UK Core's vital-signs value sets use; a
laboratory result is not mapped, because its units differ between countries (glucose in mg/dL,
HbA1c as a percentage) and a wrong conversion would be unsafe. Unmapped codes are reported.
"""

LOINC_TO_SNOMED: dict[str, tuple[str, str]] = {
    "8302-2": ("50373000", "Body height measure"),
    "29463-7": ("27113001", "Body weight"),
    "39156-5": ("60621009", "Body mass index"),
    "8480-6": ("271649006", "Systolic blood pressure"),
    "8462-4": ("271650006", "Diastolic blood pressure"),
    "8867-4": ("364075005", "Heart rate"),
    "9279-1": ("86290005", "Respiratory rate"),
    "8310-5": ("386725007", "Body temperature"),
    "8331-1": ("415945006", "Oral temperature"),
}
