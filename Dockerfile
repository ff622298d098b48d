# Builds the orderpath binary and runs it on a slim Debian with libpq.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin orderpath

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/orderpath /usr/local/bin/orderpath
ENV ORDERPATH_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["orderpath"]
CMD ["serve"]
