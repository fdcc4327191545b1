"""Signing in: a mistake is explained in an error summary that passes axe."""

from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_sign_in_with_wrong_password_shows_error_summary(browser, story):
    # Given the district nurse is on the sign-in page
    browser.visit("/sign-in/")

    # When they sign in with the wrong password
    browser.fill("Username", "tom.hughes")
    browser.fill("Password", "not-my-password")
    browser.press("Sign in")

    # Then the error summary says what went wrong (and axe found nothing wrong with it)
    expect(browser.page).to_have_title("Error: Sign in – OneRoof")
    summary = browser.page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text("Enter a correct username and password")
    # And they are still signed out, with what they typed kept but not the password
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Sign in to OneRoof")
    expect(browser.page.get_by_label("Username", exact=True)).to_have_value("tom.hughes")
    expect(browser.page.get_by_label("Password", exact=True)).to_have_value("")


def test_resident_signs_in_through_the_identity_seam_on_a_phone(phone, story):
    # Given Mrs Patel is on the resident sign-in page on her phone
    phone.visit("/my/sign-in/")
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Sign in to see your care")

    # When she gets her password wrong, then right
    phone.fill("Username", "meera.patel")
    phone.fill("Password", "not-my-password")
    phone.press("Continue")
    expect(phone.page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    phone.fill("Password", PASSWORD)
    phone.press("Continue")

    # Then she sees her own summary
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Hello Meera")
