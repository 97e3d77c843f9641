/* version.h — the software version every Patientröst program prints with
 * --version (and the kiosk may report): the CMake project version, or the
 * Debian package version when the package build sets PR_VERSION.  Only
 * version.c carries the define, so a new version rebuilds one file. */
#ifndef VERSION_H
#define VERSION_H

/* The version string, e.g. "0.1.0" or "0.1.0-1"; static, never NULL. */
const char *version_string(void);

#endif
