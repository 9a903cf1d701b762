@echo off
rem Gatehouse's one entry point on Windows (./gatehouse on Linux and macOS), from cmd or PowerShell:
rem
rem   gatehouse start   build what is missing, run the auth server (9000), the API (3001) and the SPA (4200)
rem   gatehouse dev     the same Java servers + the Angular dev server with live reload
rem   gatehouse test    every test, browser tests included (uses an installed Chrome or Edge)
rem   gatehouse help    every command and setting
rem
rem The launcher is Java (launcher\src\main\java, dev.gatehouse.launcher.Gatehouse): this script only finds a JDK 17+
rem and runs launcher\...\Bootstrap.java, which compiles the launcher into .run\launcher\ when its sources changed.
setlocal
set "GATEHOUSE_ROOT=%~dp0"
if "%GATEHOUSE_ROOT:~-1%"=="\" set "GATEHOUSE_ROOT=%GATEHOUSE_ROOT:~0,-1%"

set "GATEHOUSE_LAUNCHER_JAVA="
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "GATEHOUSE_LAUNCHER_JAVA=%JAVA_HOME%\bin\java.exe"
if defined GATEHOUSE_LAUNCHER_JAVA goto :found
where java >nul 2>nul
if errorlevel 1 goto :nojava
set "GATEHOUSE_LAUNCHER_JAVA=java"

:found
rem Java 8 and older say "1.x" and cannot run a source file: say so here.
"%GATEHOUSE_LAUNCHER_JAVA%" -version 2>&1 | findstr /c:"version \"1." >nul
if not errorlevel 1 goto :oldjava

"%GATEHOUSE_LAUNCHER_JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto "-Dgatehouse.root=%GATEHOUSE_ROOT%" -Dgatehouse.command=gatehouse "%GATEHOUSE_ROOT%\launcher\src\main\java\dev\gatehouse\launcher\Bootstrap.java" %*
exit /b %ERRORLEVEL%

:nojava
echo gatehouse: a JDK 17 or newer is needed: no java on the PATH and JAVA_HOME is not set. 1>&2
echo   Install one (for example Eclipse Temurin 21 from https://adoptium.net/) and run again. 1>&2
exit /b 1

:oldjava
echo gatehouse: a JDK 17 or newer is needed; %GATEHOUSE_LAUNCHER_JAVA% is older. 1>&2
echo   Set JAVA_HOME to a JDK 17+ (or put one first on the PATH) and run again. 1>&2
exit /b 1
