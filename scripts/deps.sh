#!/bin/sh
# What building and testing lazydind needs on Debian 12, as root: the
# compiler and libraries, and the test tools. (The test bed installs the
# Docker engine and image tools itself: tests/testbed/lib.sh.) Idempotent;
# run once on a fresh machine:  sh scripts/deps.sh
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential make gcc libjansson-dev libcmocka-dev pkg-config valgrind \
    python3-yaml python3-jsonschema >/dev/null
