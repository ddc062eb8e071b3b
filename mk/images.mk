# Executor images for KubeOpenCode (images/) and the manifest checks
# (deploy/, tests/manifests/).
#
#   make images BASE=<image> BUILDER=<image> [IMAGE_TAG=latest]
#       builds devbox-dind:$(IMAGE_TAG) and devbox-dind-rootless:$(IMAGE_TAG)
#       (names: DIND_IMAGE, ROOTLESS_IMAGE). BASE is the executor base image
#       the final stages start from, BUILDER the image of the stage that
#       compiles lazydind (apt-get installs gcc, make and libjansson-dev in it).
#       Any Debian or Ubuntu base works: with Docker's repository the images
#       get docker-ce with docker-buildx-plugin and docker-compose-plugin, else
#       the distribution's docker.io, docker-cli, docker-buildx and compose v2
#       (BASE=debian:trixie: Docker 26.1; debian:sid: 28.5; bookworm has no
#       buildx or compose v2 packages: images/README.md).
#   make validate-manifests
#       every Agent and Task in deploy/ against KubeOpenCode's CRD schema, the
#       namespaces' Pod Security labels, and a broken copy that must fail;
#       part of `make check`.
#   make images IMAGE_REV=HEAD ...  builds from a commit instead of the work tree

BASE           ?= ghcr.io/kubeopencode/kubeopencode-agent-devbox:latest
BUILDER        ?= debian:bookworm
IMAGE_TAG      ?= latest
DIND_IMAGE     ?= devbox-dind:$(IMAGE_TAG)
ROOTLESS_IMAGE ?= devbox-dind-rootless:$(IMAGE_TAG)
# The CRDs live beside the repository (../shared/kubeopencode/crds/).
CRD_DIR        ?= $(firstword $(wildcard ../shared/kubeopencode/crds $(CURDIR)/../shared/kubeopencode/crds))

# Only what the build stage needs goes to the daemon, as a tar on stdin: the
# Makefile, the C sources and the Dockerfile (no .git, no object files). From
# the work tree, or with IMAGE_REV=<commit> (e.g. HEAD) from that commit.
IMAGE_REV      ?=
IMAGE_CONTEXT   = Makefile src/warmpath.ld images/install-engine.sh $(sort $(SRCS) src/cli/main.c $(HDRS))
image_context   = $(if $(IMAGE_REV),git archive --format=tar --add-file=images/$(1)/Dockerfile $(IMAGE_REV) Makefile src images/install-engine.sh,tar -c $(IMAGE_CONTEXT) -C images/$(1) Dockerfile)

.PHONY: images image-devbox-dind image-devbox-dind-rootless validate-manifests

images: image-devbox-dind image-devbox-dind-rootless

image-devbox-dind:
	$(call image_context,devbox-dind) | DOCKER_BUILDKIT=0 docker build \
	    --build-arg BASE=$(BASE) --build-arg BUILDER=$(BUILDER) -t $(DIND_IMAGE) -

image-devbox-dind-rootless:
	$(call image_context,devbox-dind-rootless) | DOCKER_BUILDKIT=0 docker build \
	    --build-arg BASE=$(BASE) --build-arg BUILDER=$(BUILDER) -t $(ROOTLESS_IMAGE) -

validate-manifests:
	python3 tests/manifests/validate.py --crds "$(CRD_DIR)" deploy
	python3 tests/manifests/test_validate.py --crds "$(CRD_DIR)"

check: validate-manifests
