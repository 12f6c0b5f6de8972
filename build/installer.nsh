; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include). Per-machine installs run
; with SetShellVarContext all, so $APPDATA is %ProgramData%. The managed policy folder is created writable by
; SYSTEM and Administrators only (inheritance removed), readable by Users: a standard user can then neither
; create nor replace %ProgramData%\System Configurator\managed-policy.json. Well-known SIDs, so it works on
; every Windows language. Built and run only on Windows (not on the project's Linux build machines).
!macro customInstall
  CreateDirectory "$APPDATA\System Configurator"
  nsExec::ExecToLog 'icacls "$APPDATA\System Configurator" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
!macroend
