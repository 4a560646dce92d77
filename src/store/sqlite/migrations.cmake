# Included by the top-level CMakeLists.txt right after cloison_module(store):
# compiles src/store/sqlite/migrations/*.sql into cloison_store.
file(GLOB cloison_store_migrations CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_LIST_DIR}/migrations/*.sql)
set(cloison_store_migrations_inc
    ${PROJECT_BINARY_DIR}/generated/store/sqlite/migrations.inc)
add_custom_command(
  OUTPUT ${cloison_store_migrations_inc}
  COMMAND ${CMAKE_COMMAND} -DSQL_DIR=${CMAKE_CURRENT_LIST_DIR}/migrations
          -DOUT=${cloison_store_migrations_inc}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_migrations.cmake
  DEPENDS ${cloison_store_migrations} ${CMAKE_CURRENT_LIST_DIR}/embed_migrations.cmake
  COMMENT "Embedding SQLite migrations"
  VERBATIM)
target_sources(cloison_store PRIVATE ${cloison_store_migrations_inc})
target_include_directories(cloison_store PRIVATE ${PROJECT_BINARY_DIR}/generated)
