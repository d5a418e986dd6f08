# Secure mode of scripts/cluster.sh (`up --secure`): a throw-away cluster CA, one certificate per
# node, one bearer token per role, all under $CLUSTER_DIR/secure/. Sourced by cluster.sh and
# scripts/baton; expects CLUSTER_DIR and node_host to be defined.
#
#   secure/ca.pem           the cluster CA certificate (clients: --cacert / BATON_CACERT)
#   secure/ca.p12           the CA's key (only here, to issue certificates for more nodes)
#   secure/n<i>.p12         node n<i>'s key and certificate (PKCS#12, alias n<i>): peer TLS and HTTPS
#   secure/password         the password of the PKCS#12 files
#   secure/tokens           the nodes' token file (hashes only)
#   secure/{admin,write,read}.token   the bare tokens, one per role

SECURE_DIR="$CLUSTER_DIR/secure"
SECURE_ROLES=(admin write read)

secure_keytool() {
    local out
    out=$(keytool "$@" 2>&1) || die "keytool $1 failed: $out"
}

# Makes what is missing for nodes n1..n$1 (an existing CA, certificate or token is kept, so a
# cluster keeps its identity across down/up and grows by one certificate per new node).
# secure_prepare ID...: the CA, a certificate for each node id given, the tokens (each made once).
secure_prepare() {
    local id
    command -v keytool >/dev/null || die "--secure needs keytool (part of the JDK)"
    mkdir -p "$SECURE_DIR"
    chmod 700 "$SECURE_DIR"
    [[ -f "$SECURE_DIR/password" ]] || (umask 077 && secure_random >"$SECURE_DIR/password")
    local pass
    pass=$(<"$SECURE_DIR/password")
    if [[ ! -f "$SECURE_DIR/ca.p12" ]]; then
        secure_keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=baton local cluster CA" \
            -ext bc:c -validity 365 -keystore "$SECURE_DIR/ca.p12" -storetype PKCS12 -storepass "$pass"
        secure_keytool -exportcert -rfc -alias ca -keystore "$SECURE_DIR/ca.p12" -storepass "$pass" -file "$SECURE_DIR/ca.pem"
        chmod 600 "$SECURE_DIR/ca.p12"
    fi
    for id in "$@"; do
        [[ -f "$SECURE_DIR/$id.p12" ]] || secure_issue "$id" "$pass"
    done
    secure_tokens
}

# A certificate for node $1 naming its member id (peer TLS) and its loopback address (HTTPS).
secure_issue() {
    local id=$1 pass=$2 store="$SECURE_DIR/$1.p12" tmp
    tmp=$(mktemp -d)
    secure_keytool -genkeypair -alias "$id" -keyalg EC -groupname secp256r1 -dname "CN=$id" -validity 365 \
        -keystore "$tmp/$id.p12" -storetype PKCS12 -storepass "$pass"
    secure_keytool -certreq -alias "$id" -keystore "$tmp/$id.p12" -storepass "$pass" -file "$tmp/$id.csr"
    secure_keytool -gencert -alias ca -keystore "$SECURE_DIR/ca.p12" -storepass "$pass" -infile "$tmp/$id.csr" \
        -outfile "$tmp/$id.pem" -rfc -validity 365 -ext "san=uri:baton:member:$id,ip:$(node_host "$id"),dns:localhost" \
        -ext eku=serverAuth,clientAuth
    # the reply with the CA appended establishes the chain without a CA entry in the keystore
    cat "$SECURE_DIR/ca.pem" >>"$tmp/$id.pem"
    secure_keytool -importcert -alias "$id" -keystore "$tmp/$id.p12" -storepass "$pass" -file "$tmp/$id.pem" -noprompt
    mv "$tmp/$id.p12" "$store"
    chmod 600 "$store"
    rm -rf "$tmp"
}

# 32 random bytes, base64url without padding (256 bits).
secure_random() {
    head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# One token per role; the nodes' file holds only SHA-256 hashes.
secure_tokens() {
    local role token
    for role in "${SECURE_ROLES[@]}"; do
        [[ -f "$SECURE_DIR/$role.token" ]] || (umask 077 && secure_random >"$SECURE_DIR/$role.token")
    done
    {
        echo "# written by scripts/cluster.sh up --secure: <name> <role> sha256:<hash of the token>"
        for role in "${SECURE_ROLES[@]}"; do
            token=$(<"$SECURE_DIR/$role.token")
            echo "$role $role sha256:$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)"
        done
    } >"$SECURE_DIR/tokens"
    chmod 600 "$SECURE_DIR/tokens"
}

# The node options of secure mode for node $1.
secure_node_opts() {
    local id=$1
    printf '%s\n' \
        --peer-tls-ca "$SECURE_DIR/ca.pem" --peer-tls-keystore "$SECURE_DIR/$id.p12" \
        --peer-tls-password-file "$SECURE_DIR/password" \
        --http-tls-keystore "$SECURE_DIR/$id.p12" --http-tls-password-file "$SECURE_DIR/password" \
        --http-tls-ca "$SECURE_DIR/ca.pem" \
        --token-file "$SECURE_DIR/tokens"
}
