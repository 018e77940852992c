#!/usr/bin/env bash
# Load benchmark: `switchboard serve` in front of the provider simulator against the simulator alone,
# non-streaming and streaming OpenAI chat completions. Prints requests/s, p50/p99 latency and the CPU
# milliseconds per request of the measured server process. One command from a clean clone:
#   Scripts/gateway-load.sh            (DURATION=10s CONNECTIONS=32 to change the load;
#                                       SWITCHBOARD_BIN=path skips the release build;
#                                       FLOOR=1 also measures the bare-framework forwarder)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}

if ! command -v wrk >/dev/null; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
bin=${SWITCHBOARD_BIN:-.build/release/switchboard}
if [ -z "${SWITCHBOARD_BIN:-}" ]; then swift build -c release --product switchboard >/dev/null; fi
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$bin" simulate >"$work/simulator.out" 2>&1 &
simulator_pid=$!
pids+=("$simulator_pid")
until grep -q "listening" "$work/simulator.out" 2>/dev/null; do sleep 0.1; done
eval "export $(grep -o 'OPENAI_BASE_URL=[^ ]*' "$work/simulator.out")"
eval "export $(grep -o 'OLLAMA_HOST=[^ ]*' "$work/simulator.out")"
export OPENAI_API_KEY=sk-load-test SWITCHBOARD_HOME="$work/home" SWITCHBOARD_MAX_RETRIES=0
unset OLLAMA_HOST

"$bin" serve --port 0 --max-concurrent-requests 4096 --max-concurrent-streams 4096 >"$work/gateway.out" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")
until grep -q "listening" "$work/gateway.out" 2>/dev/null; do sleep 0.1; done
gateway_url=$(grep -o 'http://[^ ]*' "$work/gateway.out")

cat >"$work/plain.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-load-test"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}'
LUA
sed 's/"messages"/"stream":true,"messages"/' "$work/plain.lua" >"$work/stream.lua"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# run NAME URL PID SCRIPT CONNECTIONS
run() {
    local before after out requests
    before=$(cpu_ticks "$3")
    out=$(wrk -t1 -c"$5" -d"$DURATION" --latency -s "$4" "$2")
    after=$(cpu_ticks "$3")
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    printf '%-28s c=%-4s %10s req/s  p50 %8s  p99 %8s  cpu %6.3f ms/req\n' "$1" "$5" \
        "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
        "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')" \
        "$(echo "scale=6; ($after - $before) * 1000 / $ticks_per_second / $requests" | bc)"
}

echo "switchboard gateway load benchmark ($(nproc) cores, $DURATION per run)"
for mode in plain stream; do
    for connections in 1 "$CONNECTIONS"; do
        run "simulator alone, $mode" "$OPENAI_BASE_URL/chat/completions" "$simulator_pid" "$work/$mode.lua" "$connections"
        run "gateway + simulator, $mode" "$gateway_url/v1/chat/completions" "$gateway_pid" "$work/$mode.lua" \
            "$connections"
    done
done
echo "gateway resident memory after the runs: $(awk '/VmRSS/ {print $2, $3}' "/proc/$gateway_pid/status")"

# FLOOR=1: the same load on Benchmarks/FrameworkFloor, a Hummingbird server that only forwards each request
# to the simulator with AsyncHTTPClient (same executor and per-loop pools as the gateway, no other work):
# what the two frameworks cost before the gateway does anything. FLOOR_BIN=path skips its release build.
if [ -n "${FLOOR:-}" ]; then
    floor_bin=${FLOOR_BIN:-Benchmarks/FrameworkFloor/.build/release/FrameworkFloor}
    if [ -z "${FLOOR_BIN:-}" ]; then swift build -c release --package-path Benchmarks/FrameworkFloor >/dev/null; fi
    "$floor_bin" >"$work/floor.out" 2>&1 &
    floor_pid=$!
    pids+=("$floor_pid")
    until grep -q "listening" "$work/floor.out" 2>/dev/null; do sleep 0.1; done
    floor_url=$(grep -o 'http://[^ ]*' "$work/floor.out")
    for connections in 1 "$CONNECTIONS"; do
        run "framework floor, plain" "$floor_url/v1/chat/completions" "$floor_pid" "$work/plain.lua" "$connections"
    done
fi

# Held streams: STREAMS (default 1,000) streams open at once through a fresh gateway, each a 60-delta answer
# one delta every 250 ms from a second simulator; the gateway's resident memory while they are all open.
STREAMS=${STREAMS:-1000}
ulimit -n $((STREAMS * 4 + 1024)) 2>/dev/null || true
"$bin" simulate --event-interval-ms 250 --chunk-size 1 --reply "$(printf '%.0sx' $(seq 60))" \
    >"$work/slow-simulator.out" 2>&1 &
pids+=("$!")
until grep -q "listening" "$work/slow-simulator.out" 2>/dev/null; do sleep 0.1; done
OPENAI_BASE_URL=$(grep -o 'OPENAI_BASE_URL=[^ ]*' "$work/slow-simulator.out" | cut -d= -f2-) \
    "$bin" serve --port 0 --max-concurrent-requests 4096 --max-concurrent-streams 4096 >"$work/gateway2.out" 2>&1 &
held_gateway_pid=$!
pids+=("$held_gateway_pid")
until grep -q "listening" "$work/gateway2.out" 2>/dev/null; do sleep 0.1; done
held_url=$(grep -o 'http://[^ ]*' "$work/gateway2.out")
idle_rss=$(awk '/VmRSS/ {print $2}' "/proc/$held_gateway_pid/status")
wrk -t2 -c"$STREAMS" -d20s --timeout 30s -s "$work/stream.lua" "$held_url/v1/chat/completions" >"$work/held.out" &
wrk_pid=$!
peak=0 open=0
for _ in $(seq 36); do
    sleep 0.5
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$held_gateway_pid/status")
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
    now_open=$(ls "/proc/$held_gateway_pid/fd" | wc -l)
    if [ "$now_open" -gt "$open" ]; then open=$now_open; fi
done
wait "$wrk_pid" || true
printf 'held streams: %s open at once (peak %s descriptors); gateway RSS idle %s MB, peak %s MB\n' "$STREAMS" "$open" \
    "$((idle_rss / 1024))" "$((peak / 1024))"
