# shellcheck shell=bash
# A corporate CA (issue 16): LAZYDIND_CA_CERTS / ca-certs, defaulting to
# KubeOpenCode's CUSTOM_CA_CERT_PATH. A TLS registry on the pod's own
# address (not loopback: dockerd treats 127.0.0.0/8 as insecure and would
# skip verification) with a certificate from a CA made here with openssl:
# a plain `docker pull` and a `docker build` FROM reach it only with the CA
# configured, and the image's system trust store is not changed.
# Sourced by run.sh.

# ca_make DIR IP: a CA (ca.crt), a certificate for IP signed by it
# (server.crt, server.key) and an expired certificate (expired.crt), in DIR
# on the host.
ca_make() {
    local d=$1 ip=$2
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/O=lazydind test/CN=lazydind test CA" \
        -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null || return 1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$ip" -keyout "$d/server.key" \
        -out "$d/server.csr" 2>/dev/null || return 1
    printf 'subjectAltName=IP:%s\n' "$ip" >"$d/san.cnf"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
        -days 30 -extfile "$d/san.cnf" -out "$d/server.crt" 2>/dev/null || return 1
    cp "$REPO/tests/unit/base/fixtures/cert/expired.pem" "$d/expired.crt"
}

# ca_registry POD DIR: copy the certificates into POD (the CA where
# KubeOpenCode mounts it, /etc/ssl/certs/custom-ca/ca.crt) and start a TLS
# registry on the pod's address, port 5443, serving the baked-in busybox.
ca_registry() {
    local name ip
    name=$(tb_pod_name "$(pod "$1")")
    ip=$(psh "$1" 10 "ip -4 -o addr show eth0 | awk '{print \$4}' | cut -d/ -f1")
    psh "$1" 10 'mkdir -p /etc/ssl/certs/custom-ca /etc/docker/registry/tls' || return 1
    docker cp "$2/ca.crt" "$name:/etc/ssl/certs/custom-ca/ca.crt" >/dev/null &&
    docker cp "$2/expired.crt" "$name:/tmp/expired.crt" >/dev/null &&
    docker cp "$2/server.crt" "$name:/etc/docker/registry/tls/server.crt" >/dev/null &&
    docker cp "$2/server.key" "$name:/etc/docker/registry/tls/server.key" >/dev/null || return 1
    psh "$1" 10 "cat >/etc/docker/registry/tls.yml <<EOC
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
http:
  addr: $ip:5443
  tls:
    certificate: /etc/docker/registry/tls/server.crt
    key: /etc/docker/registry/tls/server.key
EOC
setsid docker-registry serve /etc/docker/registry/tls.yml >/var/log/registry-tls.log 2>&1 </dev/null &
for i in \$(seq 100); do
    curl -s --cacert /etc/ssl/certs/custom-ca/ca.crt -o /dev/null https://$ip:5443/v2/ && exit 0
    sleep 0.2
done
cat /var/log/registry-tls.log; exit 1" || return 1
    echo "$ip"
}

test_ca_registry() {
    pod_new a || return 1
    local d ip out rc sum0 sum1
    d=$(mktemp -d)
    ip=$(psh a 10 "ip -4 -o addr show eth0 | awk '{print \$4}' | cut -d/ -f1")
    ca_make "$d" "$ip" || { fail "openssl could not make the test CA"; rm -rf "$d"; return 1; }
    ip=$(ca_registry a "$d") || { fail "the TLS registry did not start"; rm -rf "$d"; return 1; }
    rm -rf "$d"
    sum0=$(psh a 10 'sha256sum /etc/ssl/certs/ca-certificates.crt')

    # without the CA: x509, as a user behind such a registry sees today
    out=$(psh a 120 "docker pull $ip:5443/busybox 2>&1"); rc=$?
    expect_rc "docker pull $ip:5443/busybox without a CA" 1 $rc
    expect_has "its output" "$out" "x509"
    psh a 60 'lazydind stop >/dev/null 2>&1'

    # KubeOpenCode's CUSTOM_CA_CERT_PATH: pull and build FROM both work
    out=$(psh a 120 "export CUSTOM_CA_CERT_PATH=/etc/ssl/certs/custom-ca/ca.crt
        docker pull -q $ip:5443/busybox 2>&1 &&
        printf 'FROM $ip:5443/busybox\nRUN echo via-ca >/x\n' | docker build -q -t viaca - >/dev/null 2>&1 &&
        docker run --rm viaca cat /x"); rc=$?
    expect_rc "pull and build FROM $ip:5443 with CUSTOM_CA_CERT_PATH" 0 $rc
    expect_has "its output" "$out" "via-ca"
    # BuildKit resolves FROM itself (dockerd's in-process BuildKit on 20.10)
    out=$(psh a 180 "docker rmi -f $ip:5443/busybox viaca >/dev/null 2>&1
        printf 'FROM $ip:5443/busybox\nRUN echo via-buildkit >/x\n' |
            DOCKER_BUILDKIT=1 docker build -q -t viabk - >/dev/null 2>&1 &&
        docker run --rm viabk cat /x"); rc=$?
    expect_rc "BuildKit build FROM $ip:5443 with CUSTOM_CA_CERT_PATH" 0 $rc
    expect_has "its output" "$out" "via-buildkit"
    out=$(psh a 20 'CUSTOM_CA_CERT_PATH=/etc/ssl/certs/custom-ca/ca.crt lazydind config 2>&1')
    expect_has "lazydind config" "$out" "CN=lazydind test CA"
    sum1=$(psh a 10 'sha256sum /etc/ssl/certs/ca-certificates.crt')
    expect_eq "the image's system trust store" "$sum0" "$sum1"
    expect_eq "certificates in /etc/ssl/certs/ca-certificates.crt naming the test CA" 0 \
        "$(psh a 10 'grep -c "lazydind test" /etc/ssl/certs/ca-certificates.crt')"
}

test_ca_bad_input() {
    pod_new a || return 1
    local out rc
    out=$(psh a 30 'LAZYDIND_CA_CERTS=/etc/hostname docker ps 2>&1'); rc=$?
    expect_rc "LAZYDIND_CA_CERTS=/etc/hostname docker ps" 2 $rc
    expect_has "its message" "$out" "LAZYDIND_CA_CERTS"
    expect_has "its message" "$out" "/etc/hostname"
    out=$(psh a 30 'LAZYDIND_CA_CERTS=/nonexistent.pem docker ps 2>&1'); rc=$?
    expect_rc "LAZYDIND_CA_CERTS=/nonexistent.pem docker ps" 2 $rc
    expect_has "its message" "$out" "/nonexistent.pem"
    expect_eq "dockerd processes (any state)" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    # an expired certificate: doctor warns, the daemon still starts
    docker cp "$REPO/tests/unit/base/fixtures/cert/expired.pem" \
        "$(tb_pod_name "$(pod a)"):/tmp/expired.pem" >/dev/null
    out=$(psh a 30 'LAZYDIND_CA_CERTS=/tmp/expired.pem lazydind doctor 2>&1')
    expect_has "lazydind doctor with an expired CA" "$out" "expired"
    expect_has "lazydind doctor with an expired CA" "$out" "CN=Old Proxy CA"
}

TESTS+=(ca_registry ca_bad_input)
