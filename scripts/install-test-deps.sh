#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, when it is missing:
#   - python3-grpcio and python3-protobuf (Debian): a gRPC implementation no one here wrote,
#     for the interoperability tests;
#   - etcd-server (Debian): the real etcd the registry tests start on loopback;
#   - prometheus (Debian): the real Prometheus the metrics test starts on loopback to scrape a host;
#   - podman, runc, catatonit (a pod's init) and mmdebstrap (Debian): the container tests build the
#     images offline with deploy/build-images.sh and run them; podman reads the project's own
#     deploy/podman/containers.conf (CONTAINERS_CONF), nothing under /etc changes;
#   - chromium and chromium-driver (Debian): the real browser the dashboard test drives headless.
# The Kubernetes tests also need kubectl with kustomize v5 (kubectl 1.27 or later), which this
# machine image ships; Debian's kubernetes-client (1.20, kustomize v2) is too old to render them.
# Needs root (or sudo) and Debian's package repositories; says what to do when it cannot.
set -euo pipefail

missing=()
/usr/bin/python3 -c 'import grpc, google.protobuf' >/dev/null 2>&1 || missing+=(python3-grpcio python3-protobuf)
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v catatonit >/dev/null 2>&1 || [ -x /usr/libexec/podman/catatonit ] || missing+=(catatonit)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if ! command -v kubectl >/dev/null 2>&1; then
  echo "test deps: kubectl is missing: the Kubernetes manifest tests will fail; install kubectl 1.27 or later (kustomize v5)" >&2
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "test deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "test deps: missing ${missing[*]}; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/shoal-apt.log 2>&1; then
  "${sudo_cmd[@]}" apt-get update >>/tmp/shoal-apt.log 2>&1 || true
  if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/shoal-apt.log 2>&1; then
    echo "test deps: could not install ${missing[*]} (see /tmp/shoal-apt.log); install them with apt-get and run again" >&2
    exit 1
  fi
fi
