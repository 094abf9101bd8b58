s() { echo "\$ scsikit $*"; node packages/cli/dist/bin.js "$@"; echo "(exit $?)"; }
s list
s inquiry /dev/sda
s readcap /dev/sda --long
s vpd /dev/sda --page bl
s read /dev/sda --lba 524287 --count 1 -o /tmp/x.bin
s raw /dev/sda 88 00 00 00 00 00 00 08 00 00 00 00 00 01 00 00 --request 512
s sense 72 05 24 00 00 00 00 00
s readcap /dev/sda --json
