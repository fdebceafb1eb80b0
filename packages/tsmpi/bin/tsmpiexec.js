#!/bin/sh
":" //; if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then TSMPI_LAUNCHER_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export TSMPI_LAUNCHER_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS; else unset TSMPI_LAUNCHER_EXTRA_CA_CERTS; fi
":" //; exec node "$0" "$@"
// A committed entry point, so npm can link the command at install time, before the build.
// A shell script and an ES module at once, as @tsmpi/launcher's bin/tsmpiexec.js (see there why).
import "@tsmpi/launcher/bin";
