# kapi — the two commands a new user needs: `make serve` and `make test`.
BUILD ?= build
JOBS  ?= $(shell nproc)
DEBS  := g++ cmake pkg-config libcli11-dev libssl-dev zlib1g-dev libyaml-cpp-dev \
         nlohmann-json3-dev libgtest-dev libsqlite3-dev libbenchmark-dev libjemalloc-dev sqlite3 \
         python3 python3-kubernetes openssl etcd-server etcd-client
SUDO  := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA  ?= ./kapi-data

.PHONY: all build deps test unit e2e serve clean check-kubectl

all: build

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The e2e tests drive real kubectl >= 1.27; Debian's own kubectl (1.20) is too old.
check-kubectl:
	@tools/find-kubectl >/dev/null || { echo "error: the e2e tests need kubectl >= 1.27 (on PATH, or kubectl.1.NN beside it); none was found" >&2; exit 1; }

test: deps build check-kubectl
	cd $(BUILD) && ctest --output-on-failure -j 2

unit: build
	cd $(BUILD) && ctest --output-on-failure -E '^e2e_'

e2e: build check-kubectl
	cd $(BUILD) && ctest --output-on-failure -R '^e2e_'

serve: deps build
	@echo "Starting kapi on https://127.0.0.1:6443 (data in $(DATA))."
	@echo "Point kubectl at it with:  export KUBECONFIG=$$(realpath -m $(DATA))/admin.kubeconfig"
	$(BUILD)/kapi serve --data-dir $(DATA) --bind-address 127.0.0.1 --secure-port 6443 \
	  --service-cluster-ip-range=10.96.0.0/12

clean:
	rm -rf $(BUILD)
