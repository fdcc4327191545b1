"""The identifier and code systems OneRoof's FHIR resources use, named once."""

from oneroof.core.canonical import FHIR_BASE

# UK Core identifier systems
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ODS_ORGANISATION = "https://fhir.nhs.uk/Id/ods-organization-code"
NHS_NUMBER_VERIFICATION_EXTENSION = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
)
NHS_NUMBER_VERIFICATION_SYSTEM = (
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
)
ETHNIC_CATEGORY_EXTENSION = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory"
)
ETHNIC_CATEGORY_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland"

# Professional registers, by the body that keeps them (UK Core identifier systems).
GMC = "https://fhir.hl7.org.uk/Id/gmc-number"
NMC = "https://fhir.hl7.org.uk/Id/nmc-number"
HCPC = "https://fhir.hl7.org.uk/Id/hcpc-number"
GPHC = "https://fhir.hl7.org.uk/Id/gphc-number"

# International terminologies
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V3_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/consentcategorycodes"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_EVENT_ACTION = "http://hl7.org/fhir/audit-event-action"
ISSUE_TYPE = "http://hl7.org/fhir/issue-type"

# OneRoof's own code systems: concepts of this service that no national code system holds.
# A deployment publishes them at its own address; the path names the concept.
ONEROOF = FHIR_BASE
NEED_CATEGORY = f"{ONEROOF}/CodeSystem/need-category"
PROFESSION = f"{ONEROOF}/CodeSystem/profession"
ORGANISATION_KIND = f"{ONEROOF}/CodeSystem/organisation-kind"
CARE_TEAM_ROLE = f"{ONEROOF}/CodeSystem/care-team-role"
CONTACT_MODE = f"{ONEROOF}/CodeSystem/contact-mode"
CONSENT_SCOPE_LOCAL = f"{ONEROOF}/CodeSystem/consent-scope"
REFERRAL_ROUTE = f"{ONEROOF}/CodeSystem/referral-route"
WAITING_TIME_STANDARD = f"{ONEROOF}/CodeSystem/waiting-time-standard"
WAITING_TIME_REPORTING = f"{ONEROOF}/CodeSystem/waiting-time-reporting"
SERVICE_ELIGIBILITY = f"{ONEROOF}/CodeSystem/service-eligibility"
REFERRAL_STATUS = f"{ONEROOF}/CodeSystem/referral-status"
REFERRAL_ID = f"{ONEROOF}/Id/referral"
NEIGHBOURHOOD = f"{ONEROOF}/Id/neighbourhood"
SERVICE_REFERRAL_METHOD = "http://terminology.hl7.org/CodeSystem/service-referral-method"
