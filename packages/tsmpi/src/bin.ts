#!/usr/bin/env node
import '@tsmpi/launcher/bin';
