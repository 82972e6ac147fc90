#!/usr/bin/env bash
# Builds the release binary and prints its path, wherever cargo puts it (CARGO_TARGET_DIR or a
# config's target-dir moves target/). For the other scripts here.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
echo "$target/release/dealbook"
