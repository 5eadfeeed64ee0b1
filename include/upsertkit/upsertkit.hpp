// upsertkit: Kafka upsert topics to typed changelogs and back. Include this for everything.
#ifndef UPSERTKIT_UPSERTKIT_HPP
#define UPSERTKIT_UPSERTKIT_HPP

#include "append_source.hpp"
#include "ddl.hpp"
#include "durability.hpp"
#include "error.hpp"
#include "formats/avro.hpp"
#include "formats/base64.hpp"
#include "formats/csv.hpp"
#include "formats/format.hpp"
#include "formats/json.hpp"
#include "formats/raw.hpp"
#include "formats/text.hpp"
#include "kafka/client.hpp"
#include "kafka/topic_reader.hpp"
#include "materializer.hpp"
#include "metadata.hpp"
#include "options.hpp"
#include "partitioner.hpp"
#include "pipeline.hpp"
#include "print.hpp"
#include "row_codec.hpp"
#include "row_kind.hpp"
#include "schema.hpp"
#include "sink.hpp"
#include "source.hpp"
#include "stores/memory_store.hpp"
#include "types.hpp"
#include "version.hpp"

#endif  // UPSERTKIT_UPSERTKIT_HPP
