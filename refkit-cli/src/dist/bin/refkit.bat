@echo off
rem refkit: what a heap dump holds and why it is still there. Runs on Java 17 or newer: JAVA_HOME's java when
rem JAVA_HOME is set, else the java on the PATH. REFKIT_JAVA_OPTS passes options to that JVM (its heap is half the memory by default).
setlocal
set "REFKIT_HOME=%~dp0.."
if not defined JAVA_HOME goto javaOnPath
set "JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA%" goto run
echo refkit: JAVA_HOME is %JAVA_HOME%, but it has no bin\java.exe; point it at a Java 17+ installation, or unset it to use the java on the PATH 1>&2
exit /b 2
:javaOnPath
set "JAVA=java"
where java >nul 2>nul
if not errorlevel 1 goto run
echo refkit: needs Java 17 or newer: set JAVA_HOME, or put java on the PATH 1>&2
exit /b 2
:run
"%JAVA%" -XX:MaxRAMPercentage=50 --enable-native-access=ALL-UNNAMED %REFKIT_JAVA_OPTS% -cp "%REFKIT_HOME%\lib\*" dev.refkit.cli.RefkitCli %*
exit /b %ERRORLEVEL%
