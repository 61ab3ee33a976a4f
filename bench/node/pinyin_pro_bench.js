// Romanizes one name per line of a file with pinyin-pro (the comparison of
// bench/names.sh) and prints names per second. Usage: node pinyin_pro_bench.js NAMES.txt
const fs = require('fs');
const { pinyin } = require('pinyin-pro');
const names = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((s) => s.length > 0);
const start = process.hrtime.bigint();
let chars = 0;
for (const name of names) chars += pinyin(name, { toneType: 'none' }).length;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`pinyin-pro ${names.length} names in ${seconds.toFixed(2)} s: ` +
            `${Math.round(names.length / seconds)} names/s (${chars} output characters)`);
