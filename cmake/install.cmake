# install.cmake — what `cmake --install` puts where (the Debian package
# build uses it through dh_auto_install; debian/ adds config and units).
#   programs      -> bin/  (rost-kiosk, rost-phone, rostctl, rost-agg)
#   question sets -> PR_DATA_DIR/surveys, kiosk words -> PR_DATA_DIR/kiosk
#   man pages     -> share/man/man1 (doc/man/*.1)
#   systemd units -> lib/systemd/system (PR_INSTALL_UNITS), ExecStart
#                    pointing at this install's bin/
# Fonts are not installed: the installed kiosk uses Debian's Noto fonts.
include(GNUInstallDirs)

option(PR_INSTALL_UNITS "install the systemd units under PREFIX/lib/systemd/system" ON)

install(TARGETS rost-kiosk rost-phone rostctl
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
install(TARGETS rost-agg
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT aggregator)

install(FILES ${CMAKE_SOURCE_DIR}/doc/man/rost-kiosk.1
              ${CMAKE_SOURCE_DIR}/doc/man/rost-phone.1
              ${CMAKE_SOURCE_DIR}/doc/man/rostctl.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT kiosk)
install(FILES ${CMAKE_SOURCE_DIR}/doc/man/rost-agg.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT aggregator)

if(PR_DATA_DIR)
  file(GLOB PR_SHIPPED_SETS ${CMAKE_SOURCE_DIR}/assets/surveys/*.json)
  install(FILES ${PR_SHIPPED_SETS} DESTINATION ${PR_DATA_DIR}/surveys
          COMPONENT common)
  install(FILES ${CMAKE_SOURCE_DIR}/assets/kiosk/ui-text.json
          DESTINATION ${PR_DATA_DIR}/kiosk COMPONENT kiosk)
endif()

# The units in assets/ name the packaged programs (/usr/bin/...); an
# install elsewhere (/usr/local) gets copies naming its own bin/.
if(PR_INSTALL_UNITS)
  foreach(u kiosk/rost-kiosk.service kiosk/rost-erase.service
            kiosk/rost-erase.timer agg/rost-agg.service
            agg/rost-agg-letters.service agg/rost-agg-letters.timer)
    get_filename_component(name ${u} NAME)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 ${CMAKE_SOURCE_DIR}/assets/${u})
    file(READ ${CMAKE_SOURCE_DIR}/assets/${u} text)
    string(REPLACE " /usr/bin/rost" " ${CMAKE_INSTALL_FULL_BINDIR}/rost" text "${text}")
    string(REPLACE "=/usr/bin/rost" "=${CMAKE_INSTALL_FULL_BINDIR}/rost" text "${text}")
    file(WRITE ${CMAKE_BINARY_DIR}/units/${name} "${text}")
    install(FILES ${CMAKE_BINARY_DIR}/units/${name}
            DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
  endforeach()
endif()
