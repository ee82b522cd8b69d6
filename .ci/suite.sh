# Sourced by the suites in .ci/test.d: their counters and checks. A suite prints its checks as
# "ok: ..." or "FAILED: ..." and ends with the line "N passed, N failed" (.ci/run adds them up).
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
