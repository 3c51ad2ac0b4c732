#!/usr/bin/env bash
# What the REST dialects cost per request: the same `simple` add/sub inference (one row of 16
# INT32 pairs, JSON) through KServe v2, TF Serving row and columnar, and TorchServe, over HTTP/1.1
# keep-alive, driven by wrk at 1 and 16 connections. KServe v2 JSON is the baseline measured in
# the same run. Usage: bench/run_dialects.sh [secs]
source "$(dirname "$0")/lib.sh"
SECS="${1:-5}"
start_server --model-repository examples/model_repository
a='[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]'
b='[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]'
declare -A bodies paths
paths[kserve_v2]=/v2/models/simple/infer
bodies[kserve_v2]="{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,16],\"datatype\":\"INT32\",\"data\":$a},{\"name\":\"INPUT1\",\"shape\":[1,16],\"datatype\":\"INT32\",\"data\":$b}]}"
paths[tfs_row]=/v1/models/simple:predict
bodies[tfs_row]="{\"instances\":[{\"INPUT0\":$a,\"INPUT1\":$b}]}"
paths[tfs_columnar]=/v1/models/simple:predict
bodies[tfs_columnar]="{\"inputs\":{\"INPUT0\":[$a],\"INPUT1\":[$b]}}"
paths[torchserve]=/predictions/simple
bodies[torchserve]="{\"INPUT0\":[$a],\"INPUT1\":[$b]}"
lua="$(mktemp --suffix .lua)"
machine_line
for conns in 1 16; do
  threads=$(( conns < 2 ? 1 : 2 ))
  for dialect in kserve_v2 tfs_row tfs_columnar torchserve; do
    wrk_post_lua "${bodies[$dialect]}" "$lua" >/dev/null
    echo "--- $dialect: wrk -t$threads -c$conns -d${SECS}s --latency ${paths[$dialect]}"
    wrk -t"$threads" -c"$conns" -d"${SECS}s" --latency -s "$lua" \
      "http://127.0.0.1:$port${paths[$dialect]}" | grep -E "Requests/sec|^ +50% |^ +99% |Non-2xx"
  done
done
rm -f "$lua"
