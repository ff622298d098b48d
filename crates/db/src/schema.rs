// The database schema as diesel sees it. Keep in step with `migrations/`:
// `diesel print-schema` against a migrated database prints this file.

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        name -> Text,
        role -> Text,
        customer_id -> Nullable<Uuid>,
        token_hash -> Text,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    cart_lines (id) {
        id -> Uuid,
        cart_id -> Uuid,
        product_id -> Uuid,
        parent_line_id -> Nullable<Uuid>,
        quantity_type -> Text,
        quantity -> Numeric,
        allow_quantity_change -> Bool,
        allow_quantity_splitting -> Bool,
        removable -> Bool,
        unit_price_override -> Nullable<Numeric>,
        purchase_price_override -> Nullable<Numeric>,
        position -> Int4,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    carts (id) {
        id -> Uuid,
        customer_id -> Uuid,
        status -> Text,
        currency -> Text,
        source -> Text,
        version -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    catalog_shown (shard) {
        shard -> Int2,
        version -> Int8,
    }
}

diesel::table! {
    customers (id) {
        id -> Uuid,
        name -> Text,
        external_id -> Nullable<Text>,
        currency -> Text,
        email -> Nullable<Text>,
        last_activity_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        name_key -> Text,
        search_text -> Text,
    }
}

diesel::table! {
    domain_events (id) {
        id -> Uuid,
        event_type -> Text,
        occurred_at -> Timestamptz,
        data -> Jsonb,
        txid -> Int8,
        seq -> Int8,
    }
}

diesel::table! {
    drum_options (cable_product_id, drum_product_id) {
        cable_product_id -> Uuid,
        drum_product_id -> Uuid,
        max_length -> Numeric,
    }
}

diesel::table! {
    idempotency_keys (principal_id, idempotency_key) {
        principal_id -> Uuid,
        idempotency_key -> Text,
        request_hash -> Bytea,
        status -> Int2,
        headers -> Jsonb,
        body -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    offer_lines (id) {
        id -> Uuid,
        offer_id -> Uuid,
        product_id -> Uuid,
        parent_line_id -> Nullable<Uuid>,
        sku -> Text,
        name -> Text,
        unit -> Text,
        quantity_type -> Text,
        quantity -> Numeric,
        allow_quantity_change -> Bool,
        allow_quantity_splitting -> Bool,
        removable -> Bool,
        unit_price -> Numeric,
        catalog_unit_price -> Numeric,
        unit_price_overridden -> Bool,
        purchase_price -> Numeric,
        catalog_purchase_price -> Numeric,
        purchase_price_overridden -> Bool,
        vat_rate -> Numeric,
        position -> Int4,
    }
}

diesel::table! {
    offer_views (user_id) {
        user_id -> Uuid,
        offer_id -> Uuid,
        opened_at -> Timestamptz,
    }
}

diesel::table! {
    offers (id) {
        id -> Uuid,
        number -> Text,
        cart_id -> Uuid,
        customer_id -> Uuid,
        status -> Text,
        currency -> Text,
        valid_until -> Nullable<Timestamptz>,
        version -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        change_txid -> Int8,
        change_seq -> Int8,
    }
}

diesel::table! {
    order_lines (id) {
        id -> Uuid,
        order_id -> Uuid,
        product_id -> Uuid,
        parent_line_id -> Nullable<Uuid>,
        sku -> Text,
        name -> Text,
        unit -> Text,
        quantity_type -> Text,
        quantity -> Numeric,
        allow_quantity_change -> Bool,
        allow_quantity_splitting -> Bool,
        removable -> Bool,
        unit_price -> Numeric,
        catalog_unit_price -> Numeric,
        unit_price_overridden -> Bool,
        purchase_price -> Numeric,
        catalog_purchase_price -> Numeric,
        purchase_price_overridden -> Bool,
        vat_rate -> Numeric,
        position -> Int4,
    }
}

diesel::table! {
    orders (id) {
        id -> Uuid,
        number -> Text,
        seq -> Int8,
        cart_id -> Nullable<Uuid>,
        customer_id -> Uuid,
        currency -> Text,
        version -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        offer_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    price_edits (seq) {
        seq -> Int8,
        document_type -> Text,
        document_id -> Uuid,
        line_id -> Uuid,
        field -> Text,
        old_value -> Numeric,
        new_value -> Numeric,
        reason -> Nullable<Text>,
        actor -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    products (id) {
        id -> Uuid,
        sku -> Text,
        name -> Text,
        kind -> Text,
        unit -> Text,
        quantity_type -> Text,
        net_price -> Numeric,
        purchase_price -> Numeric,
        vat_rate -> Numeric,
        currency -> Text,
        stock -> Numeric,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        reserved -> Numeric,
        shown_version -> Int8,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Text,
        created_at -> Timestamptz,
        last_used_at -> Timestamptz,
        expires_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    shipment_lines (shipment_id, order_line_id) {
        shipment_id -> Uuid,
        order_line_id -> Uuid,
        quantity -> Numeric,
        waiting_product_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    shipments (id) {
        id -> Uuid,
        order_id -> Uuid,
        status -> Text,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Int8,
        email -> Text,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        role -> Text,
        customer_id -> Nullable<Uuid>,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        last_sign_in_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Int8,
        delivery_id -> Uuid,
        attempted_at -> Timestamptz,
        succeeded -> Bool,
        status_code -> Nullable<Int4>,
        duration_ms -> Int4,
        response_body -> Nullable<Text>,
        error -> Nullable<Text>,
        worker -> Text,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        seq -> Int8,
        webhook_id -> Uuid,
        event_id -> Uuid,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        lease_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        event_type -> Text,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Uuid,
        name -> Text,
        status -> Text,
        event_type -> Text,
        url -> Text,
        auth_type -> Text,
        username -> Nullable<Text>,
        password -> Nullable<Text>,
        signing_secret -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        previous_signing_secret -> Nullable<Text>,
        previous_signing_secret_expires_at -> Nullable<Timestamptz>,
        failing_since -> Nullable<Timestamptz>,
        last_succeeded_at -> Nullable<Timestamptz>,
        disabled_at -> Nullable<Timestamptz>,
        disabled_reason -> Nullable<Text>,
    }
}

diesel::joinable!(api_tokens -> customers (customer_id));
diesel::joinable!(cart_lines -> carts (cart_id));
diesel::joinable!(cart_lines -> products (product_id));
diesel::joinable!(carts -> customers (customer_id));
diesel::joinable!(offer_lines -> offers (offer_id));
diesel::joinable!(offer_lines -> products (product_id));
diesel::joinable!(offer_views -> offers (offer_id));
diesel::joinable!(offers -> carts (cart_id));
diesel::joinable!(offers -> customers (customer_id));
diesel::joinable!(order_lines -> orders (order_id));
diesel::joinable!(order_lines -> products (product_id));
diesel::joinable!(orders -> carts (cart_id));
diesel::joinable!(orders -> customers (customer_id));
diesel::joinable!(orders -> offers (offer_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(shipment_lines -> order_lines (order_line_id));
diesel::joinable!(shipment_lines -> shipments (shipment_id));
diesel::joinable!(shipments -> orders (order_id));
diesel::joinable!(users -> customers (customer_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(webhook_deliveries -> domain_events (event_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    cart_lines,
    carts,
    catalog_shown,
    customers,
    domain_events,
    drum_options,
    idempotency_keys,
    offer_lines,
    offer_views,
    offers,
    order_lines,
    orders,
    price_edits,
    products,
    sessions,
    shipment_lines,
    shipments,
    sign_in_failures,
    users,
    webhook_attempts,
    webhook_deliveries,
    webhooks,
);
