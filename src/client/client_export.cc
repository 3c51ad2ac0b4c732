// The translation unit of the installed shared library `libinferd_client`: its code comes whole
// from the static inferd_client library (see CMakeLists.txt); this file only gives CMake a source.
