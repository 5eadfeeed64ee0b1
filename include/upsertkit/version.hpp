// upsertkit: version of this copy of the headers.
#ifndef UPSERTKIT_VERSION_HPP
#define UPSERTKIT_VERSION_HPP

#define UPSERTKIT_VERSION_MAJOR 0
#define UPSERTKIT_VERSION_MINOR 1
#define UPSERTKIT_VERSION_PATCH 0
/// major * 10000 + minor * 100 + patch
#define UPSERTKIT_VERSION 100

#endif  // UPSERTKIT_VERSION_HPP
