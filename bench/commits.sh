#!/usr/bin/env bash
# bench/commits.sh REPO COUNT: COUNT empty commits in REPO, one in five carrying a trailer that
# pm's hook logs (alternately "Agreed: ..." and "Decision: ..."), the others none: what bench/run
# times with the hook installed and without (docs/performance.md).
set -euo pipefail
repo=$1 count=$2
for ((i = 1; i <= count; i++)); do
  if ((i % 10 == 5)); then
    git -C "$repo" commit -q --allow-empty -m "Каталог: шаг $i" -m "Agreed: клиент присылает тексты к пятнице ($i)"
  elif ((i % 10 == 0)); then
    git -C "$repo" commit -q --allow-empty -m "Оплата: шаг $i" -m "Decision: оставляем платёжный шлюз банка ($i)"
  else
    git -C "$repo" commit -q --allow-empty -m "Правки вёрстки, шаг $i"
  fi
done
