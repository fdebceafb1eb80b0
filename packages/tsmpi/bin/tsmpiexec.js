#!/usr/bin/env node
// A committed entry point, so npm can link the command at install time, before the build.
import "@tsmpi/launcher/bin";
