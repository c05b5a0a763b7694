# Decides whether the Python module (engine/python, `import geosim`) is built; included by
# the top-level CMakeLists.txt before any target exists, because building it makes every
# library position-independent (the module is a shared object linking them).
#
# It is built by default when pybind11 (Debian: pybind11-dev) and Python's headers
# (python3-dev) are found for GEOSIM_PYTHON_EXECUTABLE, Debian's /usr/bin/python3 (not
# whatever `python3` is first on PATH: the module is built for one interpreter, and the
# tests run it with that same one). Off under GEOSIM_SANITIZE or -fsanitize in CMAKE_CXX_FLAGS
# (scripts/sanitize, scripts/fuzz): an ASan-built extension cannot be loaded into an
# interpreter that was not.
option(GEOSIM_PYTHON "Build the Python module (import geosim) when pybind11 and Python are found" ON)
if(EXISTS /usr/bin/python3)
  set(GEOSIM_PYTHON_EXECUTABLE_DEFAULT /usr/bin/python3)
else()
  set(GEOSIM_PYTHON_EXECUTABLE_DEFAULT python3)
endif()
set(GEOSIM_PYTHON_EXECUTABLE ${GEOSIM_PYTHON_EXECUTABLE_DEFAULT}
    CACHE FILEPATH "The Python interpreter the module is built for and tested with")

set(GEOSIM_PYTHON_BUILD OFF)
if(NOT GEOSIM_PYTHON)
  message(STATUS "geosim: Python module skipped (GEOSIM_PYTHON=OFF)")
elseif(GEOSIM_SANITIZE OR CMAKE_CXX_FLAGS MATCHES "-fsanitize")
  message(STATUS "geosim: Python module skipped in a sanitizer build (an ASan-built extension "
                 "cannot load into an ordinary interpreter)")
else()
  set(Python_EXECUTABLE ${GEOSIM_PYTHON_EXECUTABLE})
  find_package(Python 3.8 COMPONENTS Interpreter Development.Module QUIET)
  if(Python_FOUND)
    find_package(pybind11 2.6 CONFIG QUIET)
  endif()
  if(NOT Python_FOUND)
    message(STATUS "geosim: Python module skipped: no Python 3 interpreter with headers at "
                   "${GEOSIM_PYTHON_EXECUTABLE} (Debian: python3-dev; scripts/setup installs it)")
  elseif(NOT pybind11_FOUND)
    message(STATUS "geosim: Python module skipped: pybind11 not found "
                   "(Debian: pybind11-dev; scripts/setup installs it)")
  else()
    set(GEOSIM_PYTHON_BUILD ON)
    message(STATUS "geosim: Python module for ${Python_EXECUTABLE} (Python ${Python_VERSION}, "
                   "pybind11 ${pybind11_VERSION}) in ${PROJECT_BINARY_DIR}/python/geosim")
    # Static libraries linked into a shared object must be position-independent. Without
    # semantic interposition the compiler still inlines and optimises across global
    # functions as it does for the executable; numbers do not depend on either flag.
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)
    include(CheckCXXCompilerFlag)
    check_cxx_compiler_flag(-fno-semantic-interposition GEOSIM_HAS_NO_SEMANTIC_INTERPOSITION)
    if(GEOSIM_HAS_NO_SEMANTIC_INTERPOSITION)
      add_compile_options(-fno-semantic-interposition)
    endif()
  endif()
endif()
