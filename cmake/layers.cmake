# Which layer each public header belongs to, and what a layer may include: the upsertkit
# headers of the layers it builds on, and only its own third-party libraries. Checked by the
# tests layer_check.<header> (upsertkit_add_layer_checks below, cmake/layer-check.cmake): the
# header is preprocessed alone, and the include guards and library version macros defined
# afterwards say what it pulled in. docs/hacking.md draws the picture.
set(UPSERTKIT_LAYER_core
    batch_result.hpp error.hpp types.hpp schema.hpp row_kind.hpp metadata.hpp key_hash.hpp
    row_codec.hpp materializer.hpp materializer_options.hpp stores/memory_store.hpp
    stores/state_store.hpp ddl.hpp ddl_codegen.hpp partitioner.hpp version.hpp option_map.hpp
    column_io.hpp text.hpp)
set(UPSERTKIT_LAYER_config
    options.hpp config/connection.hpp config/positions.hpp config/source_options.hpp
    config/sink_options.hpp config/format_options.hpp config/json_options.hpp
    config/csv_options.hpp config/avro_options.hpp config/raw_options.hpp)
set(UPSERTKIT_LAYER_formats
    formats/avro.hpp formats/base64.hpp formats/csv.hpp formats/format.hpp formats/json.hpp
    formats/raw.hpp formats/string_writer.hpp)
set(UPSERTKIT_LAYER_pipeline pipeline.hpp print.hpp)
set(UPSERTKIT_LAYER_kafka kafka/client.hpp kafka/log.hpp kafka/topic_reader.hpp
                          testing/embedded_cluster.hpp)
set(UPSERTKIT_LAYER_connectors source.hpp sink.hpp append_source.hpp durability.hpp parallel.hpp
                               static_membership.hpp)
set(UPSERTKIT_LAYER_upsertkit upsertkit.hpp separate_compilation.hpp)
set(UPSERTKIT_LAYER_rocksdb stores/rocksdb_store.hpp)

# The layers each layer may include (itself too), and the libraries it may pull in.
set(UPSERTKIT_LAYER_USES_core core)
set(UPSERTKIT_LAYER_USES_config core config)
set(UPSERTKIT_LAYER_USES_formats core config formats)
set(UPSERTKIT_LAYER_USES_pipeline core config formats pipeline)
set(UPSERTKIT_LAYER_USES_kafka core config kafka)
set(UPSERTKIT_LAYER_USES_connectors core config formats pipeline kafka connectors)
set(UPSERTKIT_LAYER_USES_upsertkit core config formats pipeline kafka connectors upsertkit)
set(UPSERTKIT_LAYER_USES_rocksdb core rocksdb)
set(UPSERTKIT_LAYER_LIBRARIES_core "")
set(UPSERTKIT_LAYER_LIBRARIES_config "")
set(UPSERTKIT_LAYER_LIBRARIES_formats simdjson)
set(UPSERTKIT_LAYER_LIBRARIES_pipeline simdjson)
set(UPSERTKIT_LAYER_LIBRARIES_kafka rdkafka)
set(UPSERTKIT_LAYER_LIBRARIES_connectors simdjson rdkafka)
set(UPSERTKIT_LAYER_LIBRARIES_upsertkit simdjson rdkafka)
set(UPSERTKIT_LAYER_LIBRARIES_rocksdb rocksdb)
# The layers whose headers are checked: the RocksDB store's only when it is built.
set(UPSERTKIT_CHECKED_LAYERS ${UPSERTKIT_LAYERS})
if(UPSERTKIT_ROCKSDB)
  list(APPEND UPSERTKIT_CHECKED_LAYERS rocksdb)
endif()
# Headers that need a library the build may not have (skipped by the header checks then).
set(UPSERTKIT_UNCHECKED_HEADERS "")
if(NOT UPSERTKIT_ROCKSDB)
  set(UPSERTKIT_UNCHECKED_HEADERS ${UPSERTKIT_LAYER_rocksdb})
endif()

function(upsertkit_add_layer_checks include_dir)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${include_dir}/upsertkit
       ${include_dir}/upsertkit/*.hpp)
  set(placed "")
  foreach(layer IN LISTS UPSERTKIT_LAYERS ITEMS rocksdb)
    list(APPEND placed ${UPSERTKIT_LAYER_${layer}})
  endforeach()
  foreach(header IN LISTS headers)
    if(NOT header IN_LIST placed)
      message(FATAL_ERROR "upsertkit/${header} is in no layer: add it to cmake/layers.cmake")
    endif()
  endforeach()
  # Each header's layer and the guards of all headers, as -D lists for the script.
  set(map "")
  foreach(layer IN LISTS UPSERTKIT_CHECKED_LAYERS)
    foreach(header IN LISTS UPSERTKIT_LAYER_${layer})
      list(APPEND map "${header}=${layer}")
    endforeach()
  endforeach()
  string(REPLACE ";" "," map "${map}")
  foreach(layer IN LISTS UPSERTKIT_CHECKED_LAYERS)
    string(REPLACE ";" "," uses "${UPSERTKIT_LAYER_USES_${layer}}")
    string(REPLACE ";" "," libraries "${UPSERTKIT_LAYER_LIBRARIES_${layer}}")
    foreach(header IN LISTS UPSERTKIT_LAYER_${layer})
      add_test(NAME layer_check.${header}
               COMMAND ${CMAKE_COMMAND} -DCOMPILER=${CMAKE_CXX_COMPILER} -DINCLUDE_DIR=${include_dir}
                       -DHEADER=${header} -DLAYER=${layer} "-DUSES=${uses}"
                       "-DLIBRARIES=${libraries}" "-DMAP=${map}"
                       -P ${PROJECT_SOURCE_DIR}/cmake/layer-check.cmake)
    endforeach()
  endforeach()
endfunction()
