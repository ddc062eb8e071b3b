# shellcheck shell=bash
# npm packages for the test bed: the Node.js API clients of tests/e2e/node.
#
# tb_node_modules: install tests/e2e/node/package.json's dependencies with
# the host's npm (the only place the npm registry is used; pods get a copy)
# into /var/tmp/lazydind-npm/<hash of package.json> unless done, and print
# that directory (it holds node_modules). Installs npm with apt when the
# machine has none. Sourced after lib.sh.
tb_node_modules() {
    local src=$TB_DIR/../e2e/node dir
    dir=/var/tmp/lazydind-npm/$(tb_hash "$src/package.json")
    mkdir -p "${dir%/*}" || return 1
    # one install at a time (parallel tests share it)
    ( flock 9; tb_node_install "$src" "$dir" ) 9>"${dir%/*}/.lock" || return 1
    echo "$dir"
}

# tb_node_install SRC DIR: npm install SRC/package.json into DIR, unless
# DIR/node_modules exists.
tb_node_install() {
    local src=$1 dir=$2 tmp
    if [ ! -d "$dir/node_modules" ]; then
        command -v npm >/dev/null || tb_apt_install npm || return 1
        tb_log "npm install (tests/e2e/node/package.json) into $dir"
        tmp=$(mktemp -d /var/tmp/lazydind-npm.XXXXXX) || return 1
        cp "$src/package.json" "$tmp/" &&
        (cd "$tmp" && npm install --no-audit --no-fund --omit=optional --ignore-scripts >&2) || {
            rm -rf "$tmp"; tb_log "npm install failed"; return 1; }
        rm -rf "$dir" && mv "$tmp" "$dir" || return 1
    fi
}

# tb_pod_node_clients NAME [DIR]: copy the Node.js clients (the scripts of
# tests/e2e/node and their node_modules) into pod NAME at DIR (default
# /opt/lazydind-node).
tb_pod_node_clients() {
    local name mods dest=${2:-/opt/lazydind-node}
    name=$(tb_pod_name "${1:?usage: tb_pod_node_clients NAME [DIR]}")
    mods=$(tb_node_modules) || return 1
    docker exec "$name" mkdir -p "$dest" &&
    tar -C "$mods" -cf - node_modules | docker exec -i "$name" tar -xf - -C "$dest" &&
    tar -C "$TB_DIR/../e2e/node" -cf - . | docker exec -i "$name" tar -xf - -C "$dest"
}
