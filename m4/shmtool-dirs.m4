# SPDX-License-Identifier: GPL-2.0-or-later
# Installation directories that other packages define: taken from their
# pkg-config files, but under shmtool's own prefix, so that
# `./configure --prefix=DIR` installs nothing outside DIR.

# SHMTOOL_PREFIX_EXPAND(VAR, VALUE): VAR = VALUE with ${prefix},
# ${exec_prefix}, ${datarootdir}... expanded as configure sets them now.
AC_DEFUN([SHMTOOL_PREFIX_EXPAND], [
  shmtool_save_prefix=$prefix
  shmtool_save_exec_prefix=$exec_prefix
  test "x$prefix" = xNONE && prefix=$ac_default_prefix
  test "x$exec_prefix" = xNONE && exec_prefix=$prefix
  $1=$2
  for shmtool_i in 1 2 3 4 5; do eval $1=\"$$1\"; done
  prefix=$shmtool_save_prefix
  exec_prefix=$shmtool_save_exec_prefix
])

# SHMTOOL_PC_DIR(VAR, MODULE, PC-VARIABLE, FALLBACK): VAR = the
# PC-VARIABLE of MODULE's .pc file, moved under ${prefix}: a value under
# the .pc file's own prefix keeps its place below ours; one outside it
# (systemd's /lib/systemd/system, below an empty root prefix) is used as
# it is when our prefix is the .pc file's, else put below ${prefix}.
# Without the .pc file: FALLBACK.
AC_DEFUN([SHMTOOL_PC_DIR], [
  AC_REQUIRE([PKG_PROG_PKG_CONFIG])
  shmtool_pc_value=
  AS_IF([test -n "$PKG_CONFIG"], [
    shmtool_pc_value=`$PKG_CONFIG --variable=$3 $2 2>/dev/null`
    shmtool_pc_prefix=`$PKG_CONFIG --variable=prefix $2 2>/dev/null`])
  SHMTOOL_PREFIX_EXPAND([shmtool_our_prefix], ['${prefix}'])
  AS_CASE([$shmtool_pc_value],
    [""], [$1=$4],
    ["$shmtool_pc_prefix"/*], [$1='${prefix}'${shmtool_pc_value@%:@"$shmtool_pc_prefix"}],
    [AS_IF([test "x$shmtool_our_prefix" = "x$shmtool_pc_prefix"],
      [$1=$shmtool_pc_value],
      [$1='${prefix}'$shmtool_pc_value])])
])

# SHMTOOL_WITH_DIR(VAR, OPTION, HELP, DEFAULT-ACTION): --with-OPTION=DIR
# names the directory, --without-OPTION (=no) installs nothing there,
# otherwise DEFAULT-ACTION sets VAR. AC_SUBSTs VAR and defines the
# conditional VAR_ENABLED (upper case).
AC_DEFUN([SHMTOOL_WITH_DIR], [
  AC_ARG_WITH([$2], [AS_HELP_STRING([--with-$2@<:@=DIR@:>@], [$3])], [],
    [AS_TR_SH([with_$2])=yes])
  AS_CASE([$AS_TR_SH([with_$2])],
    [yes], [$4],
    [no], [$1=],
    [$1=$AS_TR_SH([with_$2])])
  AC_SUBST([$1])
  AM_CONDITIONAL(m4_toupper([$1])[_ENABLED], [test "x$AS_TR_SH([with_$2])" != xno])
  AC_MSG_CHECKING([where to install into $1])
  AS_IF([test "x$AS_TR_SH([with_$2])" = xno], [AC_MSG_RESULT([nowhere])],
    [AC_MSG_RESULT([$$1])])
])
