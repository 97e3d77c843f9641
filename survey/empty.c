/* empty.c — This file contains nothing; it lets a library with no modules
 * yet still build.  Remove once every library has sources. */
typedef int pr_empty_translation_unit;
