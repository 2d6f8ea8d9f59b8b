#!/bin/sh
# A function's own Node flags, placed where they hold on Lambda. Lambda runs this
# (AWS_LAMBDA_EXEC_WRAPPER) with the command line it would have run:
#   <node> <the runtime's flags…> <the runtime's script>
# The runtime's flags size V8's heap from the function's memory (--max-semi-space-size,
# --max-old-space-size). Node reads NODE_OPTIONS before its command line, so the same flags
# there lose; given twice on the command line, a V8 flag takes the later value. So this runs
# the same command with $NODE_FLAGS (space-separated) inserted just before the script.
set -eu
left=$#
for arg in "$@"; do
  shift
  left=$((left - 1))
  if [ "$left" -eq 0 ]; then
    # One flag a word: NODE_FLAGS is split on spaces on purpose.
    # shellcheck disable=SC2086
    set -- "$@" ${NODE_FLAGS:-} "$arg"
  else
    set -- "$@" "$arg"
  fi
done
exec "$@"
