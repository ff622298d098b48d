"""A client generated from the served OpenAPI document with openapi-python-client runs the
README's flow: sign in as a person, create a customer and a product, open a cart, add the
product, read the events and the product list. Every page model types its items with the
resource's own model. Called by run.py with the running service."""

import subprocess
import sys
import typing
import uuid
from pathlib import Path

PACKAGE = "orderpath_client"


def generate(document_url, folder):
    """Generates the client package into `folder` and makes it importable."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(Path(sys.executable).parent / "openapi-python-client"), "generate",
         "--url", document_url, "--meta", "none", "--overwrite",
         "--output-path", str(folder / PACKAGE)],
        check=True, capture_output=True, text=True,
    )
    sys.path.insert(0, str(folder))


def check_pages():
    """Every `…Page` model's `items` is a list of a named model, not an anonymous object."""
    import importlib

    models = importlib.import_module(f"{PACKAGE}.models")
    pages = [name for name in dir(models) if name.endswith("Page")]
    assert len(pages) >= 10, pages
    for name in pages:
        page = getattr(models, name)
        items = typing.get_type_hints(page, localns=vars(models))["items"]
        (item,) = typing.get_args(items)
        assert typing.get_origin(items) is list and item.__module__.startswith(PACKAGE), (name, items)
        assert "Item" not in item.__name__, (name, item)
    product_items = typing.get_type_hints(models.ProductPage, localns=vars(models))["items"]
    assert product_items == list[models.ProductResponse], product_items


def run_flow(service, password):
    from orderpath_client import AuthenticatedClient, Client
    from orderpath_client.api.carts import add_product, create_cart
    from orderpath_client.api.catalog import list_products, upsert_product
    from orderpath_client.api.customers import upsert_customer
    from orderpath_client.api.events import list_events
    from orderpath_client.api.people import me, sign_in
    from orderpath_client.models import (
        AddProductRequest, CartResponse, CreateCartRequest, CustomerRequest, EventResponse,
        ProductKind, ProductRequest, ProductResponse, QuantityBody, QuantityType,
        SessionResponse, SignInRequest, Source,
    )

    base = service.url  # the document's paths include the base path
    email = service.user("backoffice", name="Ann Example")
    session = sign_in.sync(client=Client(base, raise_on_unexpected_status=True), body=SignInRequest(email=email, password=password))
    assert isinstance(session, SessionResponse), session
    client = AuthenticatedClient(base, token=session.token, raise_on_unexpected_status=True)
    assert me.sync(client=client).name == "Ann Example"

    customer, product = uuid.uuid4(), uuid.uuid4()
    upsert_customer.sync(customer, client=client, body=CustomerRequest(name="ACME Sp. z o.o.", currency="EUR"))
    made = upsert_product.sync(product, client=client, body=ProductRequest(
        sku=f"YDY-{product.hex[:6]}", name="Cable YDY 3x2.5", kind=ProductKind.CABLE, unit="m",
        quantity_type=QuantityType.CONTENT_QUANTITY, net_price="4.20", purchase_price="3.10",
        vat_rate="23", currency="EUR", stock="1200"))
    assert isinstance(made, ProductResponse), made
    cart = create_cart.sync(client=client, body=CreateCartRequest(customer_id=customer, source=Source.BACKOFFICE))
    assert isinstance(cart, CartResponse), cart
    cart = add_product.sync(cart.id, client=client, body=AddProductRequest(
        product_id=product, quantity=QuantityBody(type_=QuantityType.CONTENT_QUANTITY, value="120.5")))
    assert isinstance(cart, CartResponse) and len(cart.lines) == 1, cart

    events = list_events.sync(client=client)
    assert events.items and all(isinstance(e, EventResponse) for e in events.items), events
    products = list_products.sync(client=client, search="YDY")
    assert any(p.id == product for p in products.items), products
    assert all(isinstance(p, ProductResponse) for p in products.items)


def check(service, folder, password):
    generate(service.url + "/api-docs/openapi.json", folder)
    check_pages()
    run_flow(service, password)
    print("Generated client: page items typed; the README flow ran.")
