cd /work/main
export TSX_TSCONFIG_PATH=bench/tsconfig.json
for m in qd1 qd32; do
  MODE=$m node --no-expose-wasm --import tsx bench/zz-prof.ts
done
rm -rf /work/prof-guest; mkdir -p /work/prof-guest
for m in qd1 qd32; do
  MODE=$m node --no-expose-wasm --cpu-prof --cpu-prof-dir=/work/prof-guest/$m --import tsx bench/zz-prof.ts
done
