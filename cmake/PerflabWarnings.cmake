# Warnings and the strict Qt defines every Perflab target uses: no implicit conversions between
# char* and QString, no Q_FOREACH, and warnings as errors in CI (PERFLAB_WERROR).
function(perflab_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -pedantic -Wno-missing-field-initializers)
  if(PERFLAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_compile_definitions(${target} PRIVATE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER QT_NO_FOREACH
    QT_NO_URL_CAST_FROM_STRING QT_NO_KEYWORDS)
endfunction()
