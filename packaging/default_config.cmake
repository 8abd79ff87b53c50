# Writes OUTPUT with what PROGRAM (styrdok) prints for --default-config.
execute_process(COMMAND ${PROGRAM} --default-config
                OUTPUT_FILE ${OUTPUT}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    file(REMOVE ${OUTPUT})
    message(FATAL_ERROR "${PROGRAM} --default-config failed: ${status}")
endif()
