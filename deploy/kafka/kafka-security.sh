# Sourced by kafka.sh when KAFKA_SASL_SSL=1: certificates, SCRAM users and ACLs.
#
# Principals (passwords generated once into $SECRETS_DIR/<name>.password):
#   admin           super user, for operators
#   orders-service  the Orders service: writes and reads orders and orders.DLT
#                   (groups orders-worker, orders-dlt-replay), creates its topics
#   orders-reader   other teams: reads orders only, with group ids starting "orders-reader."
# shellcheck shell=bash

SCRAM_USERS=(admin orders-service orders-reader)
READER_GROUP_PREFIX="orders-reader."

sasl_bootstrap() {
  local n servers=()
  for n in $(all_nodes); do servers+=("127.0.0.1:$(sasl_port "$n")"); done
  (IFS=,; echo "${servers[*]}")
}

password_of() { cat "$SECRETS_DIR/$1.password"; }

# A CA, a broker certificate for 127.0.0.1/localhost signed by it (PKCS12 keystore),
# the CA as PEM (Node, kcat) and as a PKCS12 truststore (Java), and one password per user.
ensure_security_material() {
  command -v openssl >/dev/null || die "openssl not found; needed for the SASL_SSL certificates"
  command -v keytool >/dev/null || die "keytool (Java) not found; needed for the Java truststore"
  mkdir -p "$SECRETS_DIR" "$TLS_DIR"
  chmod 700 "$SECRETS_DIR" "$TLS_DIR"
  local user
  for user in "${SCRAM_USERS[@]}" keystore; do
    [[ -s "$SECRETS_DIR/$user.password" ]] || (umask 077; openssl rand -hex 18 >"$SECRETS_DIR/$user.password")
  done
  [[ -s "$TLS_DIR/broker.p12" && -s "$TLS_DIR/truststore.p12" ]] || make_certificates
  for user in orders-service orders-reader; do write_client_properties "$user"; done
}

make_certificates() {
  log "making a CA and a broker certificate in $TLS_DIR"
  local pass
  pass="$(password_of keystore)"
  (
    cd "$TLS_DIR"
    rm -f ./*.pem ./*.key ./*.csr ./*.p12 ./*.srl
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Orders local Kafka CA" \
      -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker.key -out broker.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >broker.ext
    openssl x509 -req -days 825 -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -extfile broker.ext -out broker.pem 2>/dev/null
    openssl pkcs12 -export -name broker -in broker.pem -inkey broker.key -certfile ca.pem \
      -out broker.p12 -passout "pass:$pass"
    keytool -importcert -noprompt -alias orders-kafka-ca -file ca.pem \
      -keystore truststore.p12 -storetype PKCS12 -storepass "$pass" >/dev/null
    rm -f broker.csr broker.ext ca.srl
  )
}

# What a Java client (or the Kafka CLI) needs to connect as <user>.
write_client_properties() {
  local user="$1"
  (umask 077; cat >"$SECRETS_DIR/$user.properties" <<PROPS
bootstrap.servers=$(sasl_bootstrap)
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$user" password="$(password_of "$user")";
ssl.truststore.type=PKCS12
ssl.truststore.location=$TLS_DIR/truststore.p12
ssl.truststore.password=$(password_of keystore)
PROPS
  )
}

append_sasl_ssl_config() {
  sed -e "s|@TLS_DIR@|$TLS_DIR|g" \
      -e "s|@SECRETS_DIR@|$SECRETS_DIR|g" \
      -e "s|@KEYSTORE_PASSWORD@|$(password_of keystore)|g" \
      "$SCRIPT_DIR/sasl-ssl.properties.template" >>"$1"
}

# The SCRAM users go into the cluster's bootstrap metadata when storage is formatted (KIP-900).
scram_format_args() {
  local user
  for user in "${SCRAM_USERS[@]}"; do
    echo "--add-scram"
    echo "SCRAM-SHA-512=[name=$user,password=$(password_of "$user")]"
  done
}

acl() {
  tool_java org.apache.kafka.tools.AclCommand --bootstrap-server "$(bootstrap)" \
    --command-config "$PROBE_CONFIG" --add "$@" >/dev/null
}

# ACLs live in the cluster metadata: set once per cluster (reset forgets them).
ensure_acls() {
  [[ -f "$ACLS_DONE" ]] && return 0
  log "granting the orders-service and orders-reader ACLs"
  # A JVM per command: side by side. --producer: Write, Describe, Create on the topics;
  # --consumer: Read and Describe on the topics, Read on the groups.
  local pids=() pid
  acl --allow-principal User:orders-service --producer --topic orders --topic orders.DLT &
  pids+=($!)
  acl --allow-principal User:orders-service --consumer --topic orders --topic orders.DLT \
    --group orders-worker --group orders-dlt-replay &
  pids+=($!)
  # Literal topic: a prefixed "orders" would also match orders.DLT.
  acl --allow-principal User:orders-reader --operation Read --operation Describe --topic orders &
  pids+=($!)
  acl --allow-principal User:orders-reader --operation Read --group "$READER_GROUP_PREFIX" \
    --resource-pattern-type prefixed &
  pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid" || die "granting ACLs failed"; done
  touch "$ACLS_DONE"
}
