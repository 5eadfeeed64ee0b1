// upsertkit: the library's non-template functions, compiled once for a whole program.
//
// By default upsertkit is header-only: every translation unit that includes a header compiles
// the functions it uses, templates or not. A program of several files, or one that is rebuilt
// often, can compile the non-template ones (option parsing, error texts, the Kafka client's
// set-up and rebalance code) once instead:
//
//   1. define UPSERTKIT_SEPARATE_COMPILATION for every file of the program (the headers then
//      declare those functions without defining them), and
//   2. in one source file, include the upsertkit headers the program uses, then this header:
//
//        #include <upsertkit/source.hpp>
//        #include <upsertkit/separate_compilation.hpp>
//
// This header defines the functions of the upsertkit headers included before it, so that a
// program without Kafka does not need librdkafka to link. CMake: upsertkit_separate_compilation
// (docs/packaging.md) does both steps. Templates (codecs, materializer, pipeline) stay in the
// headers: they depend on the user's table. Without UPSERTKIT_SEPARATE_COMPILATION this header
// does nothing (the definitions are already inline in the headers).
#ifndef UPSERTKIT_SEPARATE_COMPILATION_HPP
#define UPSERTKIT_SEPARATE_COMPILATION_HPP

#ifdef UPSERTKIT_SEPARATE_COMPILATION
#ifdef UPSERTKIT_ERROR_HPP
#include "error.ipp"
#endif
#ifdef UPSERTKIT_CONFIG_CSV_OPTIONS_HPP
#include "config/csv_options.ipp"
#endif
#ifdef UPSERTKIT_CONFIG_JSON_OPTIONS_HPP
#include "config/json_options.ipp"
#endif
#ifdef UPSERTKIT_CONFIG_AVRO_OPTIONS_HPP
#include "config/avro_options.ipp"
#endif
#ifdef UPSERTKIT_CONFIG_RAW_OPTIONS_HPP
#include "config/raw_options.ipp"
#endif
#ifdef UPSERTKIT_CONFIG_FORMAT_OPTIONS_HPP
#include "config/format_options.ipp"
#endif
#ifdef UPSERTKIT_FORMATS_CSV_HPP
#include "formats/csv.ipp"
#endif
#ifdef UPSERTKIT_PIPELINE_HPP
#include "pipeline.ipp"
#endif
#ifdef UPSERTKIT_KAFKA_LOG_HPP
#include "kafka/log.ipp"
#endif
#ifdef UPSERTKIT_KAFKA_CLIENT_HPP
#include "kafka/client.ipp"
#endif
#ifdef UPSERTKIT_KAFKA_TOPIC_READER_HPP
#include "kafka/topic_reader.ipp"
#endif
#endif  // UPSERTKIT_SEPARATE_COMPILATION

#endif  // UPSERTKIT_SEPARATE_COMPILATION_HPP
