#!/usr/bin/env bash
# Cuts the chart font: Noto Sans CJK SC (OFL) reduced to GB2312 + ASCII + common punctuation (~3.5 MB).
# Needs Debian's fonts-noto-cjk and python3-fonttools (apt-get install -y fonts-noto-cjk python3-fonttools).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chars="$(mktemp)"
/usr/bin/python3 - "$chars" <<'PY'
import sys
chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
# Windows code page 936 (GBK) puts a few more characters in GB2312's rows (small roman numerals, vertical forms,
# pinyin letters): include them, since text arriving through Windows tools may carry them.
for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
    for lo in range(0xA1, 0xFF):
        try:
            c = bytes([hi, lo]).decode("gbk")
        except UnicodeDecodeError:
            continue
        if not 0xE000 <= ord(c) <= 0xF8FF:
            chars.add(c)
chars.update(chr(c) for c in range(0x20, 0x7F))
chars.update("，。、；：？！“”‘’（）《》【】—…·￥％～－＋／＝　〔〕「」『』°±×÷≤≥≈≠‰℃№←→↑↓・―")
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(chars)))
PY
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file="$chars" --output-file="$here/NotoSansSC-GB2312.otf" \
  --layout-features='*' --name-IDs='*' --name-legacy --name-languages='*'
rm -f "$chars"
