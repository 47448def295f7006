/* python3 for the target of a cross build (docs/platforms.md): Debian's CPython for that
   architecture (libpython3.11, a Multi-Arch package that installs beside the build machine's),
   behind the entry point of python3 itself. The Python binding's tests run it under the emulator:
   a build machine's interpreter cannot load the target's libtether_c. */
#include <Python.h>

int main(int argc, char** argv) { return Py_BytesMain(argc, argv); }
