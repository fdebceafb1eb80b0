#!/bin/sh
":" //; if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then TSMPI_LAUNCHER_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export TSMPI_LAUNCHER_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS; else unset TSMPI_LAUNCHER_EXTRA_CA_CERTS; fi
":" //; exec node "$0" "$@"
// A committed entry point, so npm can link the command at install time, before the build.
//
// Both a POSIX shell script and an ES module. Run as a command, the two lines above are shell: they
// move NODE_EXTRA_CA_CERTS aside and start Node on this same file, for which they are two string
// statements followed by comments. Node 20 parses every certificate of NODE_EXTRA_CA_CERTS when a
// process starts (~410 M instructions for a system bundle, 80 % of `node -e 0`); tsmpiexec makes no
// TLS connection, and dist/bin.js puts the variable back before anything reads the environment, so
// the ranks get it as the user set it (src/extra-ca-certs.ts). `node bin/tsmpiexec.js` works too.
import "../dist/bin.js";
