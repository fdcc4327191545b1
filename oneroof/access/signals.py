"""What the access app tells others about appointments, so that they need not be imported here.

`appointment_changed` is sent inside the transaction that changed the appointment (booked,
cancelled, arrived, seen, did not attend): a receiver's writes commit or roll back with it.
Referrals listens, to keep a booked referral in step with its appointment (ADR 4).
"""

from django.dispatch import Signal

appointment_changed = Signal()  # sender=Appointment, appointment=<the Appointment>
