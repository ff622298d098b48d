"""Signing in to each app, and what a wrong password shows."""

import urllib.request

import pytest
from playwright.sync_api import expect

from helpers import sign_in


def test_backoffice_staff_signs_in_and_out(page, service):
    email = service.user("backoffice", name="Ann Staff")
    sign_in(page, "/backoffice/", email)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_text("Ann Staff")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


@pytest.mark.expected_http_errors(401)
def test_a_wrong_password_shows_the_servers_problem_detail(page, service):
    email = service.user("backoffice")
    sign_in(page, "/backoffice/", email, "not the password at all")
    expect(page.get_by_role("alert")).to_contain_text("the email or the password is wrong")
    expect(page.get_by_label("Email")).to_have_value(email)


def test_a_customer_user_signs_in_to_the_store(page, service, api):
    customer = api.customer("Store Buyer Ltd")
    email = service.user("customer", customer=customer, name="Bea Buyer")
    sign_in(page, "/store/", email)
    expect(page.get_by_text("Bea Buyer")).to_be_visible()


def test_pages_are_served_from_the_binary_with_a_strict_policy(service):
    with urllib.request.urlopen(service.url + "/backoffice/") as answer:
        assert answer.headers["Content-Type"].startswith("text/html")
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
    with urllib.request.urlopen(service.url + "/store/app.js") as answer:
        assert answer.headers["Content-Type"].startswith("text/javascript")
